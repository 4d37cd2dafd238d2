/**
 * The product page's own parts for customers: a customer who received a product reviews
 * it (stars picked with the keyboard, a photo) and, once the owner approves it, sees it
 * published with the verified badge, the rating, the histogram and the card's stars; a
 * guest who presses the heart signs in and comes back with the product favourited; the
 * share links carry the product's address tagged with each network, the copy button
 * copies it, and a signed-in customer e-mails the product to a friend.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, waitForPath, waitForText } from './browser';
import { apiOk, apiToken, env, field, fixture, heading, inBrowser, seenMail } from './harness';
import { readOutbox, type Mail } from './outbox';
import { buyer } from './shop';

type Customer = typeof buyer;

/** The shop scenario's customer, verified there: sign-ups are limited to 5 a minute. */
const shopper: Customer = buyer;

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

interface Made {
  id: string;
  slug: string;
  name: string;
}

/** A product with this name and price (kuruş), in stock. */
async function product(token: string, name: string, price: number): Promise<Made> {
  const made = await apiOk<{ createProduct: Made }>(
    'mutation($i: ProductInput!) { createProduct(input: $i) { id slug name } }',
    { i: { name, price, stock: 10, active: true } },
    token,
  );
  return made.createProduct;
}

async function customerToken(customer: Customer): Promise<string> {
  const data = await apiOk<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: customer.email,
    p: customer.password,
  });
  return data.login.token;
}

/** The sign-in page's form, as a customer fills it in. */
async function signInAs(page: Page, customer: Customer): Promise<void> {
  await page.waitForLoadState('load');
  await field(page, 'E-posta adresi').fill(customer.email);
  await field(page, 'Parola').fill(customer.password);
  await button(page, 'Giriş yap').click();
}

/** Waits for a new e-mail to `to` whose subject passes `subject`; marks it seen. */
async function waitForMail(to: string, subject: (s: string) => boolean, timeoutMs = 15_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readOutbox(env.server.outbox);
    const mail = mails.reverse().find((m) => !seenMail.has(m.file) && m.to.includes(to.toLowerCase()) && subject(m.subject));
    if (mail) {
      seenMail.add(mail.file);
      return mail;
    }
    if (Date.now() > deadline) {
      throw new Error(`no e-mail to ${to} in the outbox (subjects: ${JSON.stringify(mails.map((m) => m.subject))})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('reviews: a customer who received a product reviews it with a photo and sees it published with the verified badge', async () => {
  const admin = await apiToken();
  // The shop offers bank transfer (as the shop scenario sets it up), and reviews wait for the owner.
  await apiOk(
    'mutation { updateShopSettings(input: { bankAccounts: [{ bank: "Ziraat Bankası", holder: "Vitrin Ltd.", iban: "TR33 0006 1005 1978 6457 8413 26" }] }) { bankTransfer } }',
    {},
    admin,
  );
  const before = await apiOk<{ statSettings: { autoApproveReviews: boolean } }>('{ statSettings { autoApproveReviews } }', {}, admin);
  await apiOk('mutation { updateStatSettings(input: { autoApproveReviews: false }) { autoApproveReviews } }', {}, admin);

  try {
    const teapot = await product(admin, 'Bakır Demlik', 89_000);

    // The customer orders it (API) and the owner delivers it (API).
    const customer = await customerToken(shopper);
    await apiOk('mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }', { p: teapot.id }, customer);
    const { checkout: order } = await apiOk<{ checkout: { id: string; number: string; status: string } }>(
      'mutation($i: CheckoutInput!) { checkout(input: $i) { id number status } }',
      {
        i: {
          idempotencyKey: randomUUID(),
          paymentMethod: 'BANK_TRANSFER',
          address: {
            title: 'Ev',
            recipientName: shopper.name,
            phone: '0533 111 22 33',
            line1: 'Bağdat Cad. No: 5',
            district: 'Kadıköy',
            city: 'İstanbul',
            postalCode: '34728',
          },
        },
      },
      customer,
    );
    assert.equal(order.status, 'AWAITING_PAYMENT');
    const move = 'mutation($id: ID!, $s: OrderStatus!, $c: String, $n: String) { updateOrderStatus(id: $id, status: $s, carrier: $c, trackingNumber: $n) { status } }';
    await apiOk(move, { id: order.id, s: 'PREPARING' }, admin);
    await apiOk(move, { id: order.id, s: 'SHIPPED', c: 'Aras Kargo', n: 'AR987654321' }, admin);
    const delivered = await apiOk<{ updateOrderStatus: { status: string } }>(move, { id: order.id, s: 'DELIVERED' }, admin);
    assert.equal(delivered.updateOrderStatus.status, 'DELIVERED');

    await inBrowser('reviews-write', async ({ page }) => {
      // A guest sees no form, only the way to sign in.
      await page.goto(`/urun/${teapot.slug}`);
      await page.waitForLoadState('load');
      await page.locator('[data-review-signin] a').waitFor();
      assert.equal(await page.locator('form[data-review-form]').isHidden(), true, 'guests have no review form');
      await waitForText(page.locator('#yorumlar .empty'), /./);

      await page.goto(`/hesap/giris?return=${encodeURIComponent(`/urun/${teapot.slug}`)}`);
      await signInAs(page, shopper);
      await waitForPath(page, `/urun/${teapot.slug}`);
      const form = page.locator('form[data-review-form]');
      await form.waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-review-signin]').isHidden(), true, 'the sign-in link goes once signed in');

      // The stars with the keyboard: Shift+Tab from the title into the radio group (on the
      // last star while none is chosen), then the arrows move and choose.
      await field(page, 'Başlık (isteğe bağlı)').focus();
      await page.keyboard.press('Shift+Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el ? { name: el.name, type: el.type, value: el.value } : null;
      });
      assert.deepEqual(focused, { name: 'rating', type: 'radio', value: '5' }, 'Shift+Tab from the title reaches the star radios');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowRight');
      const chosen = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement;
        const label = el.labels?.[0];
        return {
          focused: el.value,
          checked: document.querySelector<HTMLInputElement>('input[name="rating"]:checked')?.value ?? null,
          outline: label ? getComputedStyle(label).outlineStyle : 'none',
        };
      });
      assert.equal(chosen.checked, '4', `the arrow keys chose 4 stars (focused ${chosen.focused})`);
      assert.notEqual(chosen.outline, 'none', 'the focused star shows a focus outline');
      // Stars 1–4 are lit, the fifth is not.
      const colours = await page.$$eval('.star-input label', (labels) => labels.map((l) => getComputedStyle(l).color));
      assert.equal(new Set(colours.slice(0, 4)).size, 1, `stars 1–4 look alike: ${colours.join(', ')}`);
      assert.notEqual(colours[4], colours[3], 'the fifth star is not lit');
      assert.equal(await page.getByRole('radio', { name: '4 yıldız', exact: true }).isChecked(), true);

      await field(page, 'Başlık (isteğe bağlı)').fill('Çayı tam kıvamında demliyor');
      await field(page, 'Yorumunuz').fill('Ağır ve sağlam, kulpu ısınmıyor.\nKargo da hızlıydı.');
      await form.locator('input[name="photos"]').setInputFiles(fixture('photo-landscape.jpg'));
      await screenshot(page, 'reviews-form-filled');
      await button(page, 'Değerlendirmeyi gönder').click();
      await waitForText(form.locator('.form-status'), 'onaylandıktan sonra', 20_000);
      await screenshot(page, 'reviews-submitted');
    });

    // The owner approves it.
    const pending = await apiOk<{
      reviews: {
        edges: {
          node: { id: string; rating: number; title: string | null; verifiedPurchase: boolean; photos: { url: string }[]; product: { slug: string } | null };
        }[];
      };
    }>('{ reviews(status: PENDING) { edges { node { id rating title verifiedPurchase photos { url } product { slug } } } } }', {}, admin);
    const review = pending.reviews.edges.map((e) => e.node).find((r) => r.product?.slug === teapot.slug);
    assert.ok(review, 'the review waits for moderation');
    assert.equal(review.rating, 4);
    assert.equal(review.title, 'Çayı tam kıvamında demliyor');
    assert.equal(review.verifiedPurchase, true, 'a delivered order makes it a verified purchase');
    assert.equal(review.photos.length, 1, 'the photo came along');
    await apiOk('mutation($id: ID!) { approveReview(id: $id) { status } }', { id: review.id }, admin);

    await inBrowser('reviews-published', async ({ page }) => {
      await page.goto(`/urun/${teapot.slug}`);
      await page.waitForLoadState('load');
      const reviews = page.locator('#yorumlar li.review');
      assert.equal(await reviews.count(), 1, 'the approved review is shown');
      const shown = reviews.first();
      await waitForText(shown.locator('.review-stars'), '★★★★☆');
      await waitForText(shown.locator('.review-stars .visually-hidden'), '5 üzerinden 4 yıldız');
      await waitForText(shown.locator('h3'), 'Çayı tam kıvamında demliyor');
      await waitForText(shown.locator('.review-meta'), 'Deniz A.');
      await waitForText(shown.locator('.verified'), 'Doğrulanmış alışveriş');
      await waitForText(shown.locator('.review-comment'), 'kulpu ısınmıyor');
      const photo = shown.locator('.review-photos img');
      assert.equal(await photo.count(), 1, 'the review shows its photo');
      await photo.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
        await photo.elementHandle(),
      );
      // The summary: 4,0 out of 5 from one review, all in the 4-star bar.
      await waitForText(page.locator('#reviews-heading'), '(1)');
      await waitForText(page.locator('.rating-average strong'), '4,0');
      await waitForText(page.locator('.rating-line'), '(1 değerlendirme)');
      const bars = await page.$$eval('.histogram tbody tr', (rows) =>
        rows.map((row) => ({
          label: row.querySelector('th')?.textContent?.trim(),
          value: row.querySelector('meter')?.getAttribute('value'),
          count: row.querySelector('.bar-count')?.textContent?.trim(),
        })),
      );
      assert.equal(bars.length, 5, 'a bar for each star count');
      assert.deepEqual(
        bars.find((b) => b.label === '4 yıldız'),
        { label: '4 yıldız', value: '100', count: '1' },
      );
      assert.deepEqual(
        bars.filter((b) => b.label !== '4 yıldız').map((b) => b.count),
        ['0', '0', '0', '0'],
      );
      await screenshot(page, 'reviews-product-page', { fullPage: true });
    });

    // The list's card shows the stars and the count.
    await inBrowser('reviews-card', async ({ page }) => {
      await page.goto('/urunler');
      const card = page.locator('li.card', { has: page.locator('.card-name', { hasText: teapot.name }) });
      await card.waitFor();
      await waitForText(card.locator('.card-stars'), (t) => t.includes('★★★★☆') && t.includes('(1)'));
    });

    // Signed in again, the author finds their review in the form, to rewrite.
    await inBrowser('reviews-rewrite', async ({ page }) => {
      await page.goto(`/hesap/giris?return=${encodeURIComponent(`/urun/${teapot.slug}`)}`);
      await signInAs(page, shopper);
      await waitForPath(page, `/urun/${teapot.slug}`);
      const form = page.locator('form[data-review-form]');
      await waitForText(form.locator('.form-status'), 'yeniden gönderirseniz');
      assert.equal(await page.getByRole('radio', { name: '4 yıldız', exact: true }).isChecked(), true);
      assert.equal(await field(page, 'Başlık (isteğe bağlı)').inputValue(), 'Çayı tam kıvamında demliyor');
    });
  } finally {
    await apiOk('mutation($a: Boolean!) { updateStatSettings(input: { autoApproveReviews: $a }) { autoApproveReviews } }', { a: before.statSettings.autoApproveReviews }, admin);
  }
});

test('reviews: a guest who presses the heart signs in and comes back with the product favourited', async () => {
  const admin = await apiToken();
  const lamp = await product(admin, 'Mozaik Lamba', 145_000);

  await inBrowser('favorite-guest', async ({ page }) => {
    await page.goto(`/urun/${lamp.slug}`);
    await page.waitForLoadState('load');
    const heart = page.locator('button.favorite[data-favorite]');
    assert.equal(await heart.getAttribute('aria-pressed'), 'false');
    await waitForText(heart.locator('[data-favorite-count]'), '0');
    await heart.click();

    await page.waitForURL(/\/hesap\/giris\?/);
    const back = new URL(page.url()).searchParams.get('return');
    assert.equal(back, `/urun/${lamp.slug}?begen=1`, 'the sign-in page is asked to come back to favourite it');
    await signInAs(page, shopper);

    // Back on the product page, favourited, and `begen` gone from the address.
    await waitForPath(page, `/urun/${lamp.slug}`);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => document.querySelector('button[data-favorite]')?.getAttribute('aria-pressed') === 'true');
    await waitForText(heart.locator('[data-favorite-count]'), '1');
    await waitForText(heart.locator('.favorite-label'), 'Beğenildi');
    assert.equal(new URL(page.url()).searchParams.has('begen'), false);
    await screenshot(page, 'favorite-pressed');

    // A reload does not favourite it twice, nor take it back.
    await page.reload();
    await page.waitForLoadState('load');
    await page.waitForFunction(() => document.querySelector('button[data-favorite]')?.getAttribute('aria-pressed') === 'true');
    await waitForText(heart.locator('[data-favorite-count]'), '1');

    // The heart is a toggle button for the keyboard too: Space takes it back, Enter again.
    await heart.focus();
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector('button[data-favorite]')?.getAttribute('aria-pressed') === 'false');
    await waitForText(heart.locator('[data-favorite-count]'), '0');
    await waitForText(heart.locator('.favorite-label'), (t) => t === 'Beğen');
    assert.equal(new URL(page.url()).pathname, `/urun/${lamp.slug}`, 'Space did not follow the link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('button[data-favorite]')?.getAttribute('aria-pressed') === 'true');
    await waitForText(heart.locator('[data-favorite-count]'), '1');
    assert.equal(new URL(page.url()).pathname, `/urun/${lamp.slug}`, 'Enter did not follow the link');

    await page.goto('/hesap/favoriler');
    await waitForText(heading(page), 'Beğendiklerim');
    const card = page.locator('li.card', { has: page.locator('.card-name', { hasText: lamp.name }) });
    await card.waitFor();
    assert.equal(await card.locator('a').getAttribute('href'), `/urun/${lamp.slug}`);
    await screenshot(page, 'favorite-list');
  });

  // Another visitor sees the count (the page is cached alike for everyone; the script brings it up to date).
  await inBrowser('favorite-other-guest', async ({ page }) => {
    await page.goto(`/urun/${lamp.slug}`);
    await page.waitForLoadState('load');
    const heart = page.locator('button.favorite[data-favorite]');
    await waitForText(heart.locator('[data-favorite-count]'), '1');
    assert.equal(await heart.getAttribute('aria-pressed'), 'false', 'not pressed for someone else');
  });

  const fresh = await apiOk<{ product: { favoriteCount: number } }>('query($s: String!) { product(slug: $s) { favoriteCount } }', { s: lamp.slug });
  assert.equal(fresh.product.favoriteCount, 1, 'one favourite, counted once');
});

test('reviews: the share buttons link to each network with the product\'s address tagged', async () => {
  const admin = await apiToken();
  const cezve = await product(admin, 'Bakır Cezve & Fincan Seti', 62_500);
  const canonical = `${env.server.origin}/urun/${cezve.slug}`;
  const tagged = (source: string) => `${canonical}?utm_source=${source}&utm_medium=share`;

  await inBrowser('share', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
    await page.goto(`/urun/${cezve.slug}`);
    await page.waitForLoadState('load');
    assert.equal(await page.locator('link[rel="canonical"]').getAttribute('href'), canonical);

    const links = page.locator('a[data-share-network]');
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-share-network'))), [
      'whatsapp',
      'facebook',
      'x',
      'telegram',
      'email',
    ]);
    const href = async (network: string) => {
      const link = page.locator(`a[data-share-network="${network}"]`);
      const value = await link.getAttribute('href');
      assert.ok(value, `${network} has a link`);
      if (network === 'email') {
        assert.equal(await link.getAttribute('target'), null, 'mailto opens the mail program, not a tab');
      } else {
        assert.equal(await link.getAttribute('target'), '_blank', `${network} opens in a new tab`);
        assert.match((await link.getAttribute('rel')) ?? '', /noopener/);
      }
      return new URL(value);
    };
    const params = (url: URL) => Object.fromEntries(url.searchParams);

    const whatsapp = await href('whatsapp');
    assert.equal(`${whatsapp.origin}${whatsapp.pathname}`, 'https://wa.me/');
    assert.deepEqual(params(whatsapp), { text: `${cezve.name} ${tagged('whatsapp')}` });

    const facebook = await href('facebook');
    assert.equal(`${facebook.origin}${facebook.pathname}`, 'https://www.facebook.com/sharer/sharer.php');
    assert.deepEqual(params(facebook), { u: tagged('facebook') });

    const x = await href('x');
    assert.equal(`${x.origin}${x.pathname}`, 'https://x.com/intent/post');
    assert.deepEqual(params(x), { url: tagged('x'), text: cezve.name });

    const telegram = await href('telegram');
    assert.equal(`${telegram.origin}${telegram.pathname}`, 'https://t.me/share/url');
    assert.deepEqual(params(telegram), { url: tagged('telegram'), text: cezve.name });

    const mail = await href('email');
    assert.equal(mail.protocol, 'mailto:');
    assert.equal(mail.pathname, '', 'no recipient: the sharer picks one');
    assert.doesNotMatch(mail.search, /\+/, 'mailto: spaces are %20 (mail programs show a "+" as it is)');
    assert.deepEqual(params(mail), { subject: cezve.name, body: tagged('email') });

    // Copy: the link tagged `copy` lands on the clipboard.
    const copy = page.locator('button[data-share-copy]');
    await copy.waitFor({ state: 'visible' });
    await copy.click();
    await waitForText(page.locator('[data-share-status]'), 'Bağlantı kopyalandı.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tagged('copy'));
    // The system share sheet only where the browser has one.
    const canShare = await page.evaluate(() => 'share' in navigator);
    assert.equal(await page.locator('button[data-share-native]').isVisible(), canShare);
    assert.equal(await page.locator('button[data-share-native]').getAttribute('data-share-native'), tagged('webshare'));

    // Guests cannot send e-mails in the site's name.
    assert.equal(await page.locator('details[data-share-email]').isHidden(), true, 'no e-mail form for guests');
    await screenshot(page, 'share-guest');

    await page.goto(`/hesap/giris?return=${encodeURIComponent(`/urun/${cezve.slug}`)}`);
    await signInAs(page, shopper);
    await waitForPath(page, `/urun/${cezve.slug}`);
    const details = page.locator('details[data-share-email]');
    await details.waitFor({ state: 'visible' });
    await details.locator('summary').click();
    await field(page, 'Arkadaşınızın e-posta adresi').fill('dost@example.com');
    await field(page, 'Arkadaşınızın adı (isteğe bağlı)').fill('Ayşe');
    await field(page, 'Notunuz (isteğe bağlı, en çok 500 karakter; bağlantılar çıkarılır)').fill('Annemin doğum günü için nasıl?');
    await details.getByRole('button', { name: 'Gönder', exact: true }).click();
    await waitForText(details.locator('.form-status'), 'Gönderildi.');
    assert.equal(await field(page, 'Arkadaşınızın e-posta adresi').inputValue(), '', 'the form is emptied for the next one');
    await screenshot(page, 'share-sent');
  });

  const sent = await waitForMail('dost@example.com', (s) => s.includes(shopper.name));
  assert.equal(sent.subject, `${shopper.name} size bir ürün gönderdi: ${cezve.name} – Vitrin`);
  assert.match(sent.text, /Merhaba Ayşe,/);
  assert.match(sent.text, /Annemin doğum günü için nasıl\?/);
  assert.ok(sent.text.includes(tagged('email')), `the mail links to the product tagged email:\n${sent.text}`);
  assert.match(sent.text, /\/paylasim\/durdur\?t=/, 'the mail has the opt-out link');
});
