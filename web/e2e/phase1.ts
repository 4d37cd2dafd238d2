/**
 * Phase 1: signing in and out, password recovery, the profile, the session's end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAccessibility, checkFocusVisible, screenshot, waitForPath, waitForText } from './browser';
import { env, field, heading, inBrowser, locked, owner, seenMail, signIn, signInFromStart, WS_HANDSHAKE } from './harness';
import { waitForLink } from './outbox';

test('the sign-in page is accessible, labelled and served under the strict CSP', async () => {
  await inBrowser('login', async ({ page }) => {
    const response = await page.goto('/dashboard/login/');
    assert.ok(response, 'no response');
    assert.equal(response.status(), 200);
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/, 'the page has no strict Content-Security-Policy');
    await waitForText(heading(page), 'Giriş yap');
    assert.equal(await page.title(), 'Giriş yap · Vitrin');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
    await field(page, 'E-posta').waitFor();
    await field(page, 'Parola').waitFor();
    const forgot = page.getByRole('link', { name: 'Parolamı unuttum' });
    assert.equal(await forgot.getAttribute('href'), '/dashboard/forgot-password/');
    await checkAccessibility(page, 'login');
    await checkFocusVisible(page, 'login', 6);
    // The show-password button reveals what was typed, and is a real button.
    await field(page, 'Parola').fill('gizli');
    await page.getByRole('button', { name: 'Parolayı göster' }).click();
    assert.equal(await field(page, 'Parola').getAttribute('type'), 'text');
    await page.getByRole('button', { name: 'Parolayı gizle' }).click();
    assert.equal(await field(page, 'Parola').getAttribute('type'), 'password');
    await field(page, 'Parola').fill('');
    // Empty fields are explained next to the field.
    await page.getByRole('button', { name: 'Giriş yap' }).click();
    await waitForText(page.locator('.field-error'), 'E-posta adresinizi yazın.');
    await page.reload();
    await heading(page).waitFor();
    await screenshot(page, '01-login');
  });
  await inBrowser(
    'login-mobile',
    async ({ page }) => {
      await page.goto('/dashboard/login/');
      await heading(page).waitFor();
      await screenshot(page, '01-login-mobile');
    },
    { mobile: true },
  );
});

test('a wrong password shows "E-posta adresi veya parola hatalı"', async () => {
  await inBrowser('wrong-password', async ({ page }) => {
    await page.goto('/dashboard/login/');
    await signIn(page, owner.email, 'yanlis parola 123');
    const alert = page.getByRole('alert');
    await waitForText(alert, 'E-posta adresi veya parola hatalı.');
    await waitForPath(page, '/dashboard/login/');
    // The typed address stays; the alert has focus for screen readers.
    assert.equal(await field(page, 'E-posta').inputValue(), owner.email);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
    await screenshot(page, '02-login-wrong-password');
  });
});

test('throttled sign-in (RATE_LIMITED) shows the wait in minutes', async () => {
  // Five failures lock the account for this address for a while.
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${env.server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { expiresAt } }',
        variables: { e: locked.email, p: `wrong ${i}` },
      }),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  }
  await inBrowser('throttled', async ({ page }) => {
    await page.goto('/dashboard/login/');
    await signIn(page, locked.email, locked.password);
    const text = await waitForText(page.getByRole('alert'), /Lütfen \d+ dakika sonra yeniden deneyin\./);
    const minutes = Number(text.match(/(\d+) dakika/)?.[1]);
    assert.ok(minutes >= 1 && minutes <= 15, `unexpected wait: ${text}`);
    await waitForPath(page, '/dashboard/login/');
    await screenshot(page, '03-login-throttled');
  });
});

test('signing in opens the dashboard home with the way to Medya and İstatistikler', async () => {
  await inBrowser('home', async ({ page }) => {
    await page.goto('/dashboard/');
    // Not signed in: sent to sign in first.
    await waitForPath(page, '/dashboard/login/');
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/');
    await waitForText(heading(page), 'Hoş geldiniz');
    // The header: site, navigation, current user, sign-out.
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    for (const name of ['Ana sayfa', 'Medya', 'İstatistikler', 'Profil']) {
      await nav.getByRole('link', { name, exact: true }).waitFor();
    }
    assert.equal(await nav.getByRole('link', { name: 'Ana sayfa' }).getAttribute('aria-current'), 'page');
    await waitForText(page.locator('.user-name'), owner.email);
    await page.getByRole('banner').getByRole('button', { name: 'Çıkış yap' }).waitFor();
    await waitForText(page.locator('.brand-name'), 'Vitrin');
    // The compact storage bar (phase 2) is on the home page.
    await page.getByRole('meter', { name: 'Depolama alanı' }).waitFor();
    await checkAccessibility(page, 'home');
    await screenshot(page, '04-home');

    await nav.getByRole('link', { name: 'Medya' }).click();
    await waitForPath(page, '/dashboard/media/');
    await waitForText(heading(page), 'Medya');
    await page.getByRole('heading', { name: 'Kütüphane' }).waitFor();
    // After moving, focus is on the new page's heading.
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    await screenshot(page, '05-media');

    await nav.getByRole('link', { name: 'İstatistikler' }).click();
    await waitForPath(page, '/dashboard/stats/');
    await waitForText(heading(page), 'İstatistikler');
    await page.getByRole('heading', { name: 'Canlı sayılar' }).waitFor();
    await screenshot(page, '06-stats');

    // Back works, and unknown addresses get a page of their own.
    await page.goBack();
    await waitForPath(page, '/dashboard/media/');
    await page.goto('/dashboard/olmayan-sayfa');
    await waitForText(heading(page), 'Sayfa bulunamadı');
    await screenshot(page, '07-not-found');
  });
  await inBrowser(
    'home-mobile',
    async ({ page }) => {
      await signInFromStart(page);
      await screenshot(page, '04-home-mobile');
    },
    { mobile: true },
  );
});

test('?next= only leads to dashboard pages of this site', async () => {
  for (const next of ['https://example.org/', '//example.org/x', '/graphiql', '/dashboard/../graphiql']) {
    await inBrowser('next', async ({ page }) => {
      await page.goto(`/dashboard/login/?next=${encodeURIComponent(next)}`);
      await signIn(page, owner.email, owner.password);
      await waitForPath(page, '/dashboard/');
      assert.equal(new URL(page.url()).origin, env.server.origin, `left the site for next=${next}`);
    });
  }
});

test('profile: change the name and the language (the UI switches to English)', async () => {
  await inBrowser('profile', async ({ page }) => {
    await signInFromStart(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Profil' }).click();
    await waitForPath(page, '/dashboard/profile/edit/');
    await waitForText(heading(page), 'Profil');
    await checkAccessibility(page, 'profile');
    await screenshot(page, '08-profile');

    await field(page, 'Adınız').fill('Ayşe Yılmaz');
    await page.getByRole('radio', { name: 'English' }).check();
    // Every mutation shows its progress: hold the answer back a little to see it.
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('UpdateProfile')) await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Kaydet' }).click();
    const busy = page.getByRole('button', { name: 'Kaydediliyor…' });
    await busy.waitFor();
    assert.equal(await busy.isDisabled(), true, 'the busy button is not disabled');
    await waitForText(page.getByRole('status').filter({ hasText: 'Changes saved.' }), 'Changes saved.');
    await page.unroute('**/graphql');
    await waitForText(heading(page), 'Profile');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await waitForText(page.locator('.user-name'), 'Ayşe Yılmaz');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Statistics' }).waitFor();
    await screenshot(page, '09-profile-english');

    // Once signed in, the user's locale wins over this browser's remembered choice.
    await page.evaluate(() => localStorage.setItem('vitrin.lang', 'tr'));
    await page.reload();
    await waitForText(heading(page), 'Profile');

    // The header's switch saves the language to the profile too.
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Türkçe' }).click();
    await waitForText(heading(page), 'Profil');
    await waitForText(page.locator('.lang-status'), 'Dil tercihiniz kaydedildi.');
    await page.reload();
    await waitForText(heading(page), 'Profil');
    assert.equal(await page.getByRole('radio', { name: 'Türkçe' }).isChecked(), true);
    assert.equal(await field(page, 'Adınız').inputValue(), 'Ayşe Yılmaz');
  });
  // Signed out, the language switch works too and is remembered.
  await inBrowser('language-signed-out', async ({ page }) => {
    await page.goto('/dashboard/login/');
    await page.getByRole('button', { name: 'English' }).click();
    await waitForText(heading(page), 'Sign in');
    await page.reload();
    await waitForText(heading(page), 'Sign in');
    await field(page, 'E-mail').waitFor();
    await page.getByRole('link', { name: 'I forgot my password' }).waitFor();
    await screenshot(page, '10-login-english');
  });
});

test('profile: change the password (policy feedback, server refusals, success)', async () => {
  const newPassword = 'mavi deniz feneri 7';
  await inBrowser('change-password', async ({ page }) => {
    await signInFromStart(page);
    await page.goto('/dashboard/profile/edit/');
    await waitForText(heading(page), 'Profil');
    const current = field(page, 'Mevcut parola');
    const next = field(page, 'Yeni parola');
    const repeat = field(page, 'Yeni parola (tekrar)');
    const submit = page.getByRole('button', { name: 'Parolayı değiştir' });
    const lengthRule = page.locator('[data-rule="length"]').first();

    // Live feedback while typing.
    await next.fill('kısa');
    await waitForText(lengthRule, '(şu an 4)');
    assert.match((await lengthRule.getAttribute('class')) ?? '', /is-unmet/);
    await next.fill(newPassword);
    assert.match((await lengthRule.getAttribute('class')) ?? '', /is-met/);

    // Repetition differs: said on the repeat field, nothing sent.
    await current.fill(owner.password);
    await repeat.fill(newPassword + 'x');
    await submit.click();
    await waitForText(page.locator('.field-error'), 'Parolalar birbirinin aynı değil.');

    // Wrong current password: the server's BAD_USER_INPUT, on the current password field.
    await current.fill('bu yanlis parola');
    await repeat.fill(newPassword);
    await submit.click();
    await waitForText(page.locator('.field-error'), 'Mevcut parolanız hatalı.');

    // A common password: refused by the server, its message shown in Turkish.
    await current.fill(owner.password);
    await next.fill('password1');
    await repeat.fill('password1');
    await submit.click();
    await waitForText(page.locator('.field-error'), 'Bu parola çok yaygın kullanılıyor');
    await screenshot(page, '11-profile-password-refused');

    await next.fill(newPassword);
    await repeat.fill(newPassword);
    await submit.click();
    await waitForText(page.getByRole('status').filter({ hasText: 'Parolanız değiştirildi' }), 'Parolanız değiştirildi');
    owner.password = newPassword;
    assert.equal(await current.inputValue(), '', 'the password fields were not cleared');
    await screenshot(page, '12-profile-password-changed');

    // Sign out from the header, then in again with the new password.
    await page.getByRole('banner').getByRole('button', { name: 'Çıkış yap' }).click();
    await waitForPath(page, '/dashboard/login/');
    await waitForText(page.getByRole('status'), 'Çıkış yaptınız.');
    await screenshot(page, '13-signed-out');
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/');
  });
});

test('profile: change the e-mail address in a keyboard-friendly dialog, confirm from the e-mail', async () => {
  const newEmail = 'ayse@example.com';
  await inBrowser('change-email', async ({ page }) => {
    await signInFromStart(page);
    await page.goto('/dashboard/profile/edit/');
    await waitForText(heading(page), 'Profil');
    const opener = page.getByRole('button', { name: 'E-posta adresini değiştir' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'E-posta adresini değiştir' });
    await dialog.waitFor();
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement)), true, 'focus is not in the dialog');
    // Tab stays inside the modal dialog.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const inside = await dialog.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body);
      assert.equal(inside, true, 'Tab left the dialog');
    }
    await checkAccessibility(page, 'e-mail dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await opener.evaluate((b) => b === document.activeElement), true, 'focus did not return to the opener');

    await opener.click();
    await dialog.waitFor();
    await field(page, 'Yeni e-posta adresi').fill(newEmail);
    await field(page, 'Mevcut parolanız').fill(owner.password);
    await screenshot(page, '14-email-dialog');
    await dialog.getByRole('button', { name: 'Onay bağlantısı gönder' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForText(page.getByRole('status').filter({ hasText: newEmail }), `${newEmail} adresine gönderdik`);
    await screenshot(page, '15-email-requested');

    const { link } = await waitForLink(env.server.outbox, newEmail, '/dashboard/confirm-email', { seen: seenMail });
    assert.ok(link.startsWith(`${env.server.origin}/dashboard/confirm-email#token=`), `unexpected link ${link}`);
    const token = link.split('#token=')[1] ?? '';
    const leaks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(token) || Object.values(r.headers()).some((v) => v.includes(token))) leaks.push(r.url());
    });
    await page.goto(link);
    await waitForText(page.getByRole('status'), `E-posta adresiniz ${newEmail} olarak değiştirildi.`);
    await waitForPath(page, '/dashboard/confirm-email');
    assert.deepEqual(leaks, [], 'the token left the page outside the GraphQL request body');
    await screenshot(page, '16-email-confirmed');
    owner.email = newEmail;
    await page.getByRole('link', { name: 'Profile git' }).click();
    await waitForText(page.locator('.email-current'), newEmail);
  });
});

test('an ended session sends you to sign in and back to where you were', async () => {
  await inBrowser('session-ended', async ({ page, context }) => {
    // Straight to a signed-in page: sign in first, then land there.
    await page.goto('/dashboard/profile/edit/');
    await waitForPath(page, `/dashboard/login/?next=${encodeURIComponent('/dashboard/profile/edit/')}`);
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/profile/edit/');
    await waitForText(heading(page), 'Profil');

    // The cookie goes (expired session); the next page load asks to sign in again.
    await context.clearCookies();
    await page.goto('/dashboard/stats/');
    await waitForPath(page, `/dashboard/login/?next=${encodeURIComponent('/dashboard/stats/')}`);
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/stats/');

    // Ended while on a page: a mutation answers UNAUTHENTICATED.
    await page.goto('/dashboard/profile/edit/');
    await waitForText(heading(page), 'Profil');
    await context.clearCookies();
    await page.getByRole('button', { name: 'Kaydet' }).click();
    await waitForPath(page, `/dashboard/login/?next=${encodeURIComponent('/dashboard/profile/edit/')}`);
    await waitForText(page.getByRole('status'), 'Oturumunuz sona erdi.');
    await screenshot(page, '17-session-ended');
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/profile/edit/');

    // The websocket for subscriptions (phase 2) opens on this origin and is accepted.
    const ws = await page.evaluate(WS_HANDSHAKE);
    assert.equal(ws, 'connection_ack', `websocket handshake: ${String(ws)}`);

    // Ended while moving between pages.
    await context.clearCookies();
    await page.getByRole('navigation').getByRole('link', { name: 'Medya' }).click();
    await waitForPath(page, `/dashboard/login/?next=${encodeURIComponent('/dashboard/media/')}`);
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/media/');
  });
});

test('forgot password → e-mail → reset link → new password → sign in', async () => {
  const newPassword = 'yeşil çam ağacı 2024';
  let resetLink = '';
  await inBrowser('forgot-reset', async ({ page }) => {
    await page.goto('/dashboard/login/');
    await page.getByRole('link', { name: 'Parolamı unuttum' }).click();
    await waitForPath(page, '/dashboard/forgot-password/');
    await waitForText(heading(page), 'Parolamı unuttum');
    await checkAccessibility(page, 'forgot password');
    await screenshot(page, '18-forgot-password');
    await field(page, 'E-posta').fill(owner.email);
    await page.getByRole('button', { name: 'Bağlantı gönder' }).click();
    const sent = await waitForText(page.getByRole('status'), 'Bu adres bir hesaba aitse');
    await screenshot(page, '19-forgot-password-sent');

    // An unknown address gets exactly the same answer.
    await page.goto('/dashboard/forgot-password/');
    await field(page, 'E-posta').fill('kimse@example.com');
    await page.getByRole('button', { name: 'Bağlantı gönder' }).click();
    assert.equal(await waitForText(page.getByRole('status'), 'Bu adres bir hesaba aitse'), sent);

    const { link } = await waitForLink(env.server.outbox, owner.email, '/dashboard/reset-password', { seen: seenMail });
    assert.match(link, /#token=[A-Za-z0-9_-]{43}$/);
    resetLink = link;
    const token = link.split('#token=')[1] ?? '';
    const leaks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(token) || Object.values(r.headers()).some((v) => v.includes(token))) leaks.push(r.url());
    });
    await page.goto(link);
    await field(page, 'Yeni parola').waitFor();
    // The token is gone from the address bar (and the history).
    await waitForPath(page, '/dashboard/reset-password');
    await checkAccessibility(page, 'reset password');

    const newField = field(page, 'Yeni parola');
    const repeat = field(page, 'Yeni parola (tekrar)');
    await newField.fill('abc');
    await waitForText(page.locator('[data-rule="length"]'), '(şu an 3)');
    await page.getByRole('button', { name: 'Parolayı kaydet' }).click();
    await waitForText(page.locator('.field-error'), 'Parola en az 8 karakter olmalı.');
    await screenshot(page, '20-reset-password-form');

    await newField.fill('iloveyou1');
    await repeat.fill('iloveyou1');
    await page.getByRole('button', { name: 'Parolayı kaydet' }).click();
    await waitForText(page.locator('.field-error'), 'Bu parola çok yaygın kullanılıyor');

    await newField.fill(newPassword);
    await repeat.fill(newPassword);
    await waitForText(page.locator('[data-rule="match"]'), 'İki parola birbirinin aynı');
    assert.match((await page.locator('[data-rule="match"]').getAttribute('class')) ?? '', /is-met/);
    await page.getByRole('button', { name: 'Parolayı kaydet' }).click();
    await waitForPath(page, '/dashboard/login/');
    await waitForText(page.getByRole('status'), 'Parolanız değiştirildi. Yeni parolanızla giriş yapabilirsiniz.');
    assert.deepEqual(leaks, [], 'the token left the page outside the GraphQL request body');
    await screenshot(page, '21-reset-done-sign-in');
    owner.password = newPassword;
    await signIn(page, owner.email, owner.password);
    await waitForPath(page, '/dashboard/');
  });
  // A used link is refused, with a way to ask for a new one.
  await inBrowser('reset-link-used', async ({ page }) => {
    await page.goto(resetLink);
    await waitForText(heading(page), 'Bağlantı geçersiz');
    await waitForText(page.getByRole('alert'), 'geçersiz ya da süresi dolmuş');
    const again = page.getByRole('link', { name: 'Yeni bağlantı iste' });
    assert.equal(await again.getAttribute('href'), '/dashboard/forgot-password/');
    await waitForPath(page, '/dashboard/reset-password');
    await screenshot(page, '22-reset-link-invalid');
    await again.click();
    await waitForPath(page, '/dashboard/forgot-password/');
  });
});
