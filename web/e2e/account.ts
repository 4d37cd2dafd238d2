/**
 * The storefront's customer account pages (/hesap/…, templates/account.html with
 * /widgets/account.js): signing up and verifying the address from the e-mail; signing in
 * with Google and Facebook against the local providers (e2e/providers.ts), including an
 * address that already has an account (connected only after the password); the address
 * book with one default; and recovering a forgotten password from the storefront's link.
 * The profile also sets the e-mails' language and asks to change the address (the link is
 * not opened: the shopper keeps the address). The scenarios build on each other through `shopper`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { api, apiOk, env, field, heading, inBrowser, seenMail } from './harness';
import { readOutbox, waitForLink, type Mail } from './outbox';
import type { Person } from './providers';

/** Signs up in scenario a; its password changes in scenario d. */
const shopper = { name: 'Elif Şahin', email: 'elif.sahin@example.com', password: 'kırmızı elma ağacı' };
/** Signs in with Google first (a new address: an account is made for it). */
const googler: Person = { sub: '109876543210987654321', email: 'zeynep.arslan@example.com', name: 'Zeynep Arslan' };
/** Signs in with Facebook (a new address too). */
const facebooker: Person = { sub: '10160000000000001', email: 'mert.yildiz@example.com', name: 'Mert Yıldız' };
/** Signs up through the API to see that the shopper's addresses are the shopper's only. */
const neighbour = { name: 'Kaan Öztürk', email: 'kaan.ozturk@example.com', password: 'mor salkımlı bahçe' };

/** The shopper's API session from scenario c: password recovery (scenario d) ends it. */
let shopperToken = '';

const status = (page: Page) => page.locator('.account .sr-status');
const identity = (page: Page, provider: 'GOOGLE' | 'FACEBOOK') => page.locator(`[data-identities] li[data-provider="${provider}"]`);
const errorAt = (page: Page, id: string) => page.locator(`#${id}-error`);
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** The page has loaded (module scripts run before `load`): the widget handles its forms. */
async function loaded(page: Page): Promise<void> {
  await page.waitForLoadState('load');
}

async function focusedId(page: Page, id: string): Promise<void> {
  await page.waitForFunction((want) => document.activeElement?.id === want, id).catch(() => undefined);
  assert.equal(await page.evaluate(() => document.activeElement?.id ?? ''), id, 'where the focus is');
}

/** Who this browser is signed in as (the session cookie, asked from the page), or null. */
async function signedInAs(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const answer = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    const body = (await answer.json()) as { data?: { me?: { email: string } | null } };
    return body.data?.me?.email ?? null;
  });
}

/** The language of the signed-in user's e-mails, asked from the page. */
async function myLocale(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const answer = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { locale } }' }),
    });
    const body = (await answer.json()) as { data?: { me?: { locale: string } | null } };
    return body.data?.me?.locale ?? null;
  });
}

/** Waits for a new e-mail to `to` whose subject starts with `subject` (one without a link, which waitForLink wants). */
async function waitForMail(to: string, subject: string, timeoutMs = 15_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = (await readOutbox(env.server.outbox)).find((m) => !seenMail.has(m.file) && m.to.includes(to.toLowerCase()) && m.subject.startsWith(subject));
    if (mail) {
      seenMail.add(mail.file);
      return mail;
    }
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} titled “${subject}” in ${env.server.outbox}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Who an API token signs in as, or null once its session has ended. */
async function tokenOwner(token: string): Promise<string | null> {
  const answer = await api<{ me: { email: string } | null }>('{ me { email } }', {}, token);
  return answer.data?.me?.email ?? null;
}

const apiLogin = (email: string, password: string) =>
  api<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });

/** The storefront's sign-in form (/hesap/giris). */
async function signInHere(page: Page, email: string, password: string): Promise<void> {
  await loaded(page);
  await heading(page).filter({ hasText: 'Giriş yap' }).waitFor();
  await field(page, 'E-posta adresi').fill(email);
  await field(page, 'Parola').fill(password);
  await button(page, 'Giriş yap').click();
}

/** Signs in with a provider's button on /hesap/giris; the provider agrees at once. */
async function signInWith(page: Page, provider: 'Google' | 'Facebook'): Promise<void> {
  await page.goto('/hesap/giris');
  await page.getByRole('link', { name: `${provider} ile giriş yap` }).click();
}

/** The profile page (/hesap) once it has loaded the account. */
async function profileOf(page: Page, email: string): Promise<void> {
  await waitForPath(page, '/hesap');
  await waitForText(heading(page), 'Hesabım');
  await waitForText(page.locator('[data-signed-in] [data-email]'), email);
}

test('account: sign up, verify from the e-mail, sign out', async () => {
  await inBrowser('account-sign-up', async ({ page }) => {
    const response = await page.goto('/hesap/kayit');
    assert.equal(response?.status(), 200);
    await waitForText(heading(page), 'Kayıt ol');
    // The widget is there: it puts the length rule under the password.
    await page.locator('.password-policy').waitFor();
    await checkAccessibility(page, 'sign-up');

    // Nothing typed: each field says what it needs, before anything is sent; the focus
    // goes to the first.
    const submit = button(page, 'Kayıt ol');
    await submit.click();
    await waitForText(errorAt(page, 'signup-name'), 'Bu alanı doldurun.');
    await waitForText(errorAt(page, 'signup-email'), 'E-posta adresini yazın.');
    await waitForText(errorAt(page, 'signup-password'), 'Parolayı yazın.');
    await waitForText(errorAt(page, 'signup-terms'), 'Devam etmek için bu kutuyu işaretleyin.');
    assert.equal(await field(page, 'Ad soyad').getAttribute('aria-invalid'), 'true');
    await focusedId(page, 'signup-name');
    // The marketing e-mails are a choice, not a requirement.
    assert.equal(await errorAt(page, 'signup-marketing').isVisible(), false);

    await field(page, 'Ad soyad').fill(shopper.name);
    await field(page, 'E-posta adresi').fill(shopper.email);
    // Seven characters: the policy asks for eight (counted as characters, "ı" is one).
    await field(page, 'Parola').fill('kısa pı');
    await page.getByRole('checkbox', { name: /^Kullanım koşullarını/ }).check();
    await submit.click();
    await waitForText(errorAt(page, 'signup-password'), 'Parola en az 8 karakter olmalı.');
    await focusedId(page, 'signup-password');
    assert.equal(await errorAt(page, 'signup-name').isVisible(), false, 'the name error stayed');

    await field(page, 'Parola').fill(shopper.password);
    await submit.click();
    const success = page.locator('[data-success]');
    await success.waitFor();
    await waitForText(success, 'E-postanızı kontrol edin');
    assert.equal(await page.locator('form[data-form="register"]').isVisible(), false, 'the form is still shown');
    assert.equal(await success.evaluate((el) => el === document.activeElement), true, 'the success text has no focus');
    await screenshot(page, '90-sign-up');

    // The e-mail's link opens the verification page, which signs in.
    const { link, mail } = await waitForLink(env.server.outbox, shopper.email, '/hesap/dogrula', { seen: seenMail });
    assert.ok(mail.subject.startsWith('E-posta adresinizi doğrulayın'), `subject: ${mail.subject}`);
    assert.ok(link.startsWith(`${env.server.origin}/hesap/dogrula#token=`), `unexpected link ${link}`);
    assert.equal(await signedInAs(page), null, 'signed in before verifying');
    await page.goto(link);
    // The block is in the page from the start (hidden): wait until it is shown.
    await page.locator('[data-success]').waitFor();
    await waitForText(page.locator('[data-success]'), 'E-posta adresiniz doğrulandı');
    // The token is gone from the address bar (and the history).
    await waitForPath(page, '/hesap/dogrula');
    assert.equal(await signedInAs(page), shopper.email);
    await screenshot(page, '91-verified');

    await page.getByRole('link', { name: 'Hesabıma git' }).click();
    await profileOf(page, shopper.email);
    assert.equal(await field(page, 'Ad soyad').inputValue(), shopper.name);
    // Signed up on a Turkish page: the e-mails come in Turkish.
    assert.equal(await field(page, 'E-posta dili').inputValue(), 'TR');
    assert.equal(await page.locator('[data-unverified]').isVisible(), false, 'the verified address is called unverified');
    // Both providers can be connected from here.
    await identity(page, 'GOOGLE').getByRole('link', { name: 'Google hesabını bağla' }).waitFor();
    await identity(page, 'FACEBOOK').getByRole('link', { name: 'Facebook hesabını bağla' }).waitFor();
    await checkAccessibility(page, 'profile');
    await screenshot(page, '92-profile');

    // The e-mails' language: English, kept by the server (the list shows it after a
    // reload), then Turkish again (the later scenarios read Turkish e-mails).
    await field(page, 'E-posta dili').selectOption('EN');
    await button(page, 'Kaydet').click();
    await waitForText(status(page), 'Bilgileriniz kaydedildi.');
    assert.equal(await myLocale(page), 'EN');
    await page.reload();
    await profileOf(page, shopper.email);
    assert.equal(await field(page, 'E-posta dili').inputValue(), 'EN');
    await field(page, 'E-posta dili').selectOption({ label: 'Türkçe' });
    await button(page, 'Kaydet').click();
    await waitForText(status(page), 'Bilgileriniz kaydedildi.');
    assert.equal(await myLocale(page), 'TR');
    assert.equal(await field(page, 'Ad soyad').inputValue(), shopper.name, 'saving the language changed the name');

    // A new e-mail address: the current one is refused at the address, a wrong password at
    // the password (focused); nothing is sent.
    const newAddress = 'elif.sahin.yeni@example.com';
    const emailForm = page.locator('form[data-form="change-email"]');
    const emailSuccess = page.locator('[data-email-success]');
    const sendLink = button(page, 'Onay bağlantısı gönder');
    await emailForm.getByLabel('Yeni e-posta adresi', { exact: true }).fill(shopper.email);
    await emailForm.getByLabel('Parolanız', { exact: true }).fill(shopper.password);
    await sendLink.click();
    await waitForText(errorAt(page, 'new-email'), 'Bu zaten kullandığınız e-posta adresi.');
    await focusedId(page, 'new-email');
    await emailForm.getByLabel('Yeni e-posta adresi', { exact: true }).fill(newAddress);
    await emailForm.getByLabel('Parolanız', { exact: true }).fill('yanlış bir parola');
    await sendLink.click();
    await waitForText(errorAt(page, 'email-password'), 'Mevcut parolanız hatalı.');
    await focusedId(page, 'email-password');
    assert.equal(await emailForm.getByLabel('Parolanız', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await errorAt(page, 'new-email').isVisible(), false, 'the address error stayed');
    assert.equal(await emailSuccess.isVisible(), false);

    // The right password: the link goes to the new address, the form empties, the
    // address stays as it is until the link is opened.
    await emailForm.getByLabel('Parolanız', { exact: true }).fill(shopper.password);
    await sendLink.click();
    const sentText = `Onay bağlantısını ${newAddress} adresine gönderdik. Bağlantıyı açana kadar e-posta adresiniz değişmez.`;
    await emailSuccess.waitFor();
    await waitForText(emailSuccess, sentText);
    await waitForText(status(page), sentText);
    assert.equal(await errorAt(page, 'email-password').isVisible(), false, 'the password error stayed');
    assert.equal(await emailForm.getByLabel('Yeni e-posta adresi', { exact: true }).inputValue(), '');
    assert.equal(await emailForm.getByLabel('Parolanız', { exact: true }).inputValue(), '');
    await waitForText(page.locator('[data-signed-in] [data-email]'), shopper.email);
    const confirmation = await waitForLink(env.server.outbox, newAddress, '/hesap/eposta-onayla', { seen: seenMail });
    assert.ok(confirmation.mail.subject.startsWith('Yeni e-posta adresinizi onaylayın'), `not Turkish again: ${confirmation.mail.subject}`);
    assert.ok(confirmation.link.startsWith(`${env.server.origin}/hesap/eposta-onayla#token=`), `unexpected link ${confirmation.link}`);
    await waitForMail(shopper.email, 'E-posta adresi değişikliği istendi');
    assert.equal(await signedInAs(page), shopper.email);

    await button(page, 'Çıkış yap').click();
    await waitForPath(page, '/hesap/giris');
    await loaded(page);
    assert.equal(await signedInAs(page), null, 'still signed in after "Çıkış yap"');
    // The account pages now ask to sign in first.
    await page.goto('/hesap');
    await waitForPath(page, `/hesap/giris?return=${encodeURIComponent('/hesap')}`);
  });
});

test('account: sign in with Google against the local provider', async () => {
  // A new address: the provider's word makes the account, already verified, no password.
  await inBrowser('account-google', async ({ page }) => {
    env.providers.setGooglePerson(googler);
    await signInWith(page, 'Google');
    await profileOf(page, googler.email);
    assert.equal(await field(page, 'Ad soyad').inputValue(), googler.name);
    await waitForText(identity(page, 'GOOGLE'), `Bağlı: ${googler.email}`);
    await identity(page, 'GOOGLE').getByRole('button', { name: 'Bağlantıyı kaldır: Google' }).waitFor();
    // Signed in by Google alone: no password to change, the way to set one instead.
    await page.locator('[data-no-password]').waitFor();
    assert.equal(await page.locator('form[data-form="change-password"]').isVisible(), false);
    // Nor an e-mail change, which the password confirms.
    await page.locator('[data-email-no-password]').waitFor();
    assert.equal(await page.locator('form[data-form="change-email"]').isVisible(), false);
    await screenshot(page, '93-sign-in-providers');
  });

  // Facebook, in a fresh browser: another new address, another account.
  await inBrowser('account-facebook', async ({ page }) => {
    env.providers.setFacebookPerson(facebooker);
    await signInWith(page, 'Facebook');
    await profileOf(page, facebooker.email);
    await waitForText(identity(page, 'FACEBOOK'), `Bağlı: ${facebooker.email}`);
    await identity(page, 'GOOGLE').getByRole('link', { name: 'Google hesabını bağla' }).waitFor();
    assert.equal(await signedInAs(page), facebooker.email);
  });

  // Google vouches for the shopper's address, which has an account with a password: not
  // signed in on the provider's word; the password connects Google.
  await inBrowser('account-google-existing', async ({ page }) => {
    env.providers.setGooglePerson({ sub: '100200300400500600700', email: shopper.email, name: shopper.name });
    await signInWith(page, 'Google');
    await waitForPath(page, /^\/hesap\/giris\?baglan=google&eposta=[^#]+$/);
    const notice = page.locator('[data-connect-notice]');
    await waitForText(notice, `${shopper.email} adresiyle zaten bir hesabınız var.`);
    await waitForText(notice, 'Google hesabınızı bağlamak için parolanızla giriş yapın');
    assert.equal(await signedInAs(page), null, 'signed in on the provider’s word alone');
    await checkAccessibility(page, 'sign-in with a connection waiting');

    await signInHere(page, shopper.email, shopper.password);
    await profileOf(page, shopper.email);
    await waitForText(identity(page, 'GOOGLE'), `Bağlı: ${shopper.email}`);
    await identity(page, 'FACEBOOK').getByRole('link', { name: 'Facebook hesabını bağla' }).waitFor();
  });

  // Now that it is connected, Google signs the shopper in directly.
  await inBrowser('account-google-connected', async ({ page }) => {
    await signInWith(page, 'Google');
    await profileOf(page, shopper.email);
  });
  assert.deepEqual(env.providers.refusals(), [], 'the providers refused requests');
});

/** The address book's card titled `title`. */
const card = (page: Page, title: string): Locator =>
  page.locator('[data-address-list] li.address-card').filter({ has: page.locator('h2', { hasText: new RegExp(`^${title}( Varsayılan)?$`) }) });

const cardTitles = (page: Page) => page.locator('[data-address-list] li.address-card h2').allTextContents();

async function fillAddress(
  page: Page,
  a: { title: string; phone: string; line1: string; district: string; city: string; postalCode: string },
): Promise<void> {
  await field(page, 'Adres başlığı (ör. Ev, İş)').fill(a.title);
  await field(page, 'Alıcının adı soyadı').fill(shopper.name);
  await field(page, 'Telefon').fill(a.phone);
  await field(page, 'Adres (mahalle, cadde, no)').fill(a.line1);
  await field(page, 'İlçe').fill(a.district);
  await field(page, 'İl').selectOption({ label: a.city });
  await field(page, 'Posta kodu').fill(a.postalCode);
}

test('account: two addresses, one default', async () => {
  const home = { title: 'Ev', phone: '0532 123 45 67', line1: 'Caferağa Mah. Moda Cad. No: 12', district: 'Kadıköy', city: 'İstanbul', postalCode: '06100' };
  const work = { title: 'İş', phone: '0212 555 44 33', line1: 'Esentepe Mah. Büyükdere Cad. No: 100', district: 'Şişli', city: 'İstanbul', postalCode: '34394' };
  let workId = '';

  await inBrowser('account-addresses', async ({ page }) => {
    // Not signed in: the sign-in page first, then back here.
    await page.goto('/hesap/adresler');
    await waitForPath(page, `/hesap/giris?return=${encodeURIComponent('/hesap/adresler')}`);
    await signInHere(page, shopper.email, shopper.password);
    await waitForPath(page, '/hesap/adresler');
    await waitForText(heading(page), 'Adreslerim');
    await waitForText(page.locator('[data-empty]'), 'Henüz kayıtlı adresiniz yok.');

    // A postal code of Ankara with İstanbul: the server's refusal, at the postal code.
    await fillAddress(page, home);
    await button(page, 'Adresi kaydet').click();
    await waitForText(errorAt(page, 'address-postal'), 'İstanbul posta kodları 34 ile başlar.');
    await focusedId(page, 'address-postal');
    assert.equal(await field(page, 'Posta kodu').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await cardTitles(page), []);

    // The first address is the default without asking.
    await field(page, 'Posta kodu').fill('34710');
    await button(page, 'Adresi kaydet').click();
    await waitForText(status(page), 'Adres kaydedildi.');
    await waitForText(card(page, 'Ev'), 'Kadıköy / İstanbul 34710');
    await waitForText(card(page, 'Ev').locator('.badge'), 'Varsayılan');
    await waitForText(card(page, 'Ev'), '0532 123 45 67');
    assert.equal(await page.locator('[data-empty]').isVisible(), false);
    // The form is empty again, for the next one.
    assert.equal(await field(page, 'Adres başlığı (ör. Ev, İş)').inputValue(), '');

    // The second is not (its box unticked).
    await fillAddress(page, work);
    await button(page, 'Adresi kaydet').click();
    await waitForText(card(page, 'İş'), 'Şişli / İstanbul 34394');
    assert.deepEqual(await cardTitles(page), ['Ev Varsayılan', 'İş']);
    assert.equal(await card(page, 'İş').locator('.badge').count(), 0);
    await checkAccessibility(page, 'addresses');

    // "Varsayılan yap" on İş: it becomes the one default (and comes first).
    await button(page, 'Varsayılan yap: İş').click();
    await waitForText(status(page), '“İş” artık varsayılan adresiniz.');
    assert.deepEqual(await cardTitles(page), ['İş Varsayılan', 'Ev']);
    assert.equal(await page.locator('[data-address-list] .badge').count(), 1, 'more than one default');
    await button(page, 'Varsayılan yap: Ev').waitFor();
    assert.equal(await button(page, 'Varsayılan yap: İş').count(), 0);
    workId = (await card(page, 'İş').getAttribute('data-address-id')) ?? '';
    assert.ok(workId, 'the card has no address id');
    await screenshot(page, '94-addresses');

    // Edit: the form takes the address (the phone as people write it), saves it, empties.
    await button(page, 'Düzenle: Ev').click();
    await waitForText(page.locator('[data-form-title]'), 'Adresi düzenle');
    await focusedId(page, 'address-title');
    assert.equal(await field(page, 'Adres başlığı (ör. Ev, İş)').inputValue(), 'Ev');
    assert.equal(await field(page, 'Telefon').inputValue(), '0532 123 45 67');
    assert.equal(await field(page, 'Posta kodu').inputValue(), '34710');
    await button(page, 'Vazgeç').waitFor();
    await field(page, 'Adres devamı (isteğe bağlı)').fill('Daire 3');
    await button(page, 'Adresi kaydet').click();
    await waitForText(card(page, 'Ev'), 'Daire 3');
    await waitForText(page.locator('[data-form-title]'), 'Yeni adres');
    assert.equal(await field(page, 'Adres başlığı (ör. Ev, İş)').inputValue(), '');
    assert.deepEqual(await cardTitles(page), ['İş Varsayılan', 'Ev'], 'editing changed the default');

    // Delete asks first; "Vazgeç" keeps it.
    await button(page, 'Sil: Ev').click();
    const dialog = page.getByRole('dialog', { name: 'Adresi sil' });
    await waitForText(dialog, '“Ev” adresi silinsin mi?');
    await dialog.getByRole('button', { name: 'Vazgeç' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(await cardTitles(page), ['İş Varsayılan', 'Ev']);
    await button(page, 'Sil: Ev').click();
    await dialog.getByRole('button', { name: 'Evet, sil' }).click();
    await waitForText(status(page), '“Ev” adresi silindi.');
    await page.waitForFunction(() => document.querySelectorAll('[data-address-list] li.address-card').length === 1);
    assert.deepEqual(await cardTitles(page), ['İş Varsayılan']);

    // What was saved is what the server keeps.
    await page.reload();
    await waitForText(card(page, 'İş'), '0212 555 44 33');
    assert.deepEqual(await cardTitles(page), ['İş Varsayılan']);
  });

  // The shopper's API session (scenario d checks that recovering the password ends it).
  const shopperLogin = await apiLogin(shopper.email, shopper.password);
  assert.deepEqual(shopperLogin.errors, []);
  shopperToken = shopperLogin.data?.login.token ?? '';

  // Another customer sees none of it, and cannot touch it by its id.
  await apiOk('mutation($i: RegisterInput!) { register(input: $i) }', {
    i: { email: neighbour.email, password: neighbour.password, name: neighbour.name, acceptTerms: true },
  });
  const { link } = await waitForLink(env.server.outbox, neighbour.email, '/hesap/dogrula', { seen: seenMail });
  await apiOk('mutation($t: String!) { verifyEmail(token: $t) { expiresAt } }', { t: link.split('#token=')[1] });
  await inBrowser('account-addresses-other', async ({ page }) => {
    await page.goto('/hesap/giris?return=%2Fhesap%2Fadresler');
    await signInHere(page, neighbour.email, neighbour.password);
    await waitForPath(page, '/hesap/adresler');
    await waitForText(page.locator('[data-empty]'), 'Henüz kayıtlı adresiniz yok.');
    assert.deepEqual(await cardTitles(page), []);
  });
  const neighbourLogin = await apiLogin(neighbour.email, neighbour.password);
  const token = neighbourLogin.data?.login.token ?? '';
  assert.ok(token, `the neighbour cannot sign in: ${JSON.stringify(neighbourLogin.errors)}`);
  const theirs = await apiOk<{ myAddresses: unknown[] }>('{ myAddresses { id } }', {}, token);
  assert.deepEqual(theirs.myAddresses, []);
  for (const mutation of ['mutation($id: ID!) { setDefaultAddress(id: $id) { id } }', 'mutation($id: ID!) { deleteAddress(id: $id) }']) {
    const answer = await api(mutation, { id: workId }, token);
    assert.equal(answer.errors[0]?.extensions?.code, 'NOT_FOUND', `${mutation}: ${JSON.stringify(answer.errors)}`);
  }
  const mine = await apiOk<{ myAddresses: Array<{ id: string; isDefault: boolean }> }>('{ myAddresses { id isDefault } }', {}, shopperToken);
  assert.deepEqual(mine.myAddresses, [{ id: workId, isDefault: true }]);
});

test('account: forgot the password and recover it from the storefront link', async () => {
  const newPassword = 'turuncu gün batımı 7';
  await inBrowser('account-recovery', async ({ page }) => {
    await page.goto('/hesap/giris');
    await page.getByRole('link', { name: 'Parolamı unuttum' }).click();
    await waitForPath(page, '/hesap/sifremi-unuttum');
    await waitForText(heading(page), 'Parolamı unuttum');
    await loaded(page);
    await checkAccessibility(page, 'forgot password');
    await field(page, 'E-posta adresi').fill(shopper.email);
    await button(page, 'Bağlantı gönder').click();
    await page.locator('[data-success]').waitFor();
    await waitForText(page.locator('[data-success]'), 'Bu adresin bir hesabı varsa');

    const { link, mail } = await waitForLink(env.server.outbox, shopper.email, '/hesap/sifre-sifirla', { seen: seenMail });
    assert.ok(mail.subject.startsWith('Parola sıfırlama'), `subject: ${mail.subject}`);
    assert.ok(link.startsWith(`${env.server.origin}/hesap/sifre-sifirla#token=`), `unexpected link ${link}`);
    const token = link.split('#token=')[1] ?? '';
    const leaks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(token) || Object.values(r.headers()).some((v) => v.includes(token))) leaks.push(r.url());
    });
    await page.goto(link);
    await waitForText(heading(page), 'Yeni parola belirleyin');
    await waitForPath(page, '/hesap/sifre-sifirla');
    await page.locator('.password-policy').waitFor();
    await checkAccessibility(page, 'reset password');

    // The repetition differs: said at the second field, nothing sent.
    await field(page, 'Yeni parola').fill(newPassword);
    await field(page, 'Yeni parola (tekrar)').fill(`${newPassword}!`);
    await button(page, 'Parolayı değiştir').click();
    await waitForText(errorAt(page, 'reset-password-again'), 'Parolalar birbirinin aynı değil.');
    await focusedId(page, 'reset-password-again');
    assert.equal(await errorAt(page, 'reset-password').isVisible(), false);

    await field(page, 'Yeni parola (tekrar)').fill(newPassword);
    await button(page, 'Parolayı değiştir').click();
    await page.locator('[data-success]').waitFor();
    await waitForText(page.locator('[data-success]'), 'Parolanız değiştirildi; diğer oturumlarınız kapatıldı.');
    assert.deepEqual(leaks, [], 'the token left the page outside the GraphQL request body');
    // "diğer oturumlarınız kapatıldı": the API session of the address book's scenario ended.
    assert.equal(await tokenOwner(shopperToken), null, 'an older session survived the reset');

    await page.getByRole('link', { name: 'Giriş yapın' }).click();
    await waitForPath(page, '/hesap/giris');
    await signInHere(page, shopper.email, newPassword);
    await profileOf(page, shopper.email);
  });
  // The old password is refused (one failure: the account's limit is five).
  const old = await apiLogin(shopper.email, shopper.password);
  assert.equal(old.errors[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(old.errors));
  shopper.password = newPassword;
});
