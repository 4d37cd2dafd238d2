/**
 * The shop in a browser: a guest puts two products in the cart from their pages, signs
 * in at checkout (the cart comes along), applies a coupon from the coupons page, checks
 * out by bank transfer and sees the confirmation with the bank account; the owner marks
 * the order paid and shipped in the dashboard; the customer sees the tracking number.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, waitForPath, waitForText } from './browser';
import { api, apiOk, apiToken, env, field, heading, inBrowser, seenMail, signInFromStart } from './harness';
import { waitForLink } from './outbox';

/** The shop's customer; the review scenarios shop as them too (sign-ups are limited to 5 a minute). */
export const buyer = { name: 'Deniz Aksoy', email: 'deniz.aksoy@example.com', password: 'yeşil çaydanlık 77' };
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** A product with this name, price (kuruş) and stock: its slug. */
async function product(token: string, name: string, price: number): Promise<string> {
  const made = await apiOk<{ createProduct: { slug: string } }>(
    'mutation($i: ProductInput!) { createProduct(input: $i) { slug } }',
    { i: { name, price, stock: 10, active: true } },
    token,
  );
  return made.createProduct.slug;
}

/** A verified customer, signed up through the API and verified from the e-mail. */
async function verifiedCustomer(): Promise<void> {
  await apiOk('mutation($i: RegisterInput!) { register(input: $i) }', { i: { ...buyer, acceptTerms: true } });
  const { link } = await waitForLink(env.server.outbox, buyer.email, '/hesap/dogrula', { seen: seenMail });
  const token = new URL(link).hash.replace('#token=', '');
  await apiOk('mutation($t: String!) { verifyEmail(token: $t) { user { email } } }', { t: token });
}

async function addFromItsPage(page: Page, slug: string, count: string): Promise<void> {
  await page.goto(`/urun/${slug}`);
  await page.waitForLoadState('load');
  await button(page, 'Sepete ekle').click();
  await waitForText(page.locator('[data-cart-count]'), count);
}

test('shop: a guest fills a cart, signs in, uses a coupon and orders; the owner ships it', async () => {
  const admin = await apiToken();
  await apiOk(
    'mutation { updateShopSettings(input: { shippingFee: 4990, bankAccounts: [{ bank: "Ziraat Bankası", holder: "Vitrin Ltd.", iban: "TR33 0006 1005 1978 6457 8413 26" }] }) { bankTransfer } }',
    {},
    admin,
  );
  const mug = await product(admin, 'Çini Kupa', 24_000);
  const vase = await product(admin, 'Seramik Vazo', 56_000);
  await apiOk('mutation { createCoupon(input: { code: "HOSGELDIN10", description: "İlk siparişe %10", kind: PERCENT, value: 10, public: true }) { id } }', {}, admin);
  await verifiedCustomer();

  let number = '';
  await inBrowser('shop-order', async ({ page }) => {
    await addFromItsPage(page, mug, '1');
    await addFromItsPage(page, vase, '2');

    // Checkout asks for a sign-in and comes back; the guest's cart came along.
    await page.goto('/odeme');
    await page.waitForURL(/\/hesap\/giris\?return=%2Fodeme$/);
    await page.waitForLoadState('load');
    await field(page, 'E-posta adresi').fill(buyer.email);
    await field(page, 'Parola').fill(buyer.password);
    await button(page, 'Giriş yap').click();
    await waitForPath(page, '/odeme');
    await waitForText(heading(page), 'Ödeme');

    // The coupon from the coupons page, applied in the cart.
    await page.goto('/kuponlar');
    await waitForText(page.locator('.coupon-code'), 'HOSGELDIN10');
    await page.goto('/sepet');
    await page.waitForLoadState('load');
    assert.equal(await page.locator('table.cart-lines tbody tr').count(), 2, 'both products are in the cart');
    await field(page, 'Kupon kodu').fill('hosgeldin10');
    await button(page, 'Uygula').click();
    await waitForText(page.locator('.coupon-box'), 'HOSGELDIN10 kuponu uygulandı');
    await waitForText(page.locator('dl.totals'), '-80,00 ₺');
    await screenshot(page, 'shop-cart');
    await page.getByRole('link', { name: 'Ödemeye geç' }).click();
    await waitForPath(page, '/odeme');
    await page.waitForLoadState('load');

    await field(page, 'Adres başlığı (ör. Ev, İş)').fill('Ev');
    await field(page, 'Alıcının adı soyadı').fill(buyer.name);
    await field(page, 'Telefon').fill('0532 987 65 43');
    await field(page, 'Adres (mahalle, cadde, no)').fill('Moda Cad. No: 12');
    await field(page, 'İlçe').fill('Kadıköy');
    await field(page, 'İl').selectOption('İstanbul');
    await field(page, 'Posta kodu').fill('34710');
    await button(page, 'Siparişi onayla').click();
    await waitForText(page.locator('#terms-error'), 'sözleşmeyi kabul edin');
    await page.getByLabel(/mesafeli satış sözleşmesini/).check();
    await screenshot(page, 'shop-checkout');
    await button(page, 'Siparişi onayla').click();

    await page.waitForURL(/\/siparis\/VT-\d{4}-\d{6}$/);
    number = new URL(page.url()).pathname.split('/').pop() ?? '';
    await waitForText(heading(page), `Sipariş ${number}`);
    await waitForText(page.locator('.order-status'), 'Ödeme bekleniyor');
    await waitForText(page.locator('.iban'), 'TR33 0006 1005 1978 6457 8413 26');
    await waitForText(page.locator('dl.totals'), '769,90 ₺');
    await screenshot(page, 'shop-order');
    assert.equal(await page.locator('[data-cart-count]').isHidden(), true, 'the cart is empty now');
  });

  await inBrowser('shop-dashboard-ships', async ({ page }) => {
    await signInFromStart(page);
    await page.goto(`/dashboard/orders/${number}`);
    await button(page, 'Ödeme alındı').click();
    await button(page, 'Kargoya ver').waitFor();
    await button(page, 'Kargoya ver').click();
    await field(page, 'Kargo firması').fill('Yurtiçi Kargo');
    await field(page, 'Takip numarası').fill('YK123456789');
    await button(page, 'Kargoya verildi olarak kaydet').click();
    await button(page, 'Teslim edildi').waitFor();
    await screenshot(page, 'shop-dashboard-order');
  });

  const shipped = await api<{ orders: { edges: { node: { status: string } }[] } }>('{ orders(status: SHIPPED) { edges { node { status } } } }', {}, admin);
  assert.equal(shipped.data?.orders.edges.length, 1, 'the dashboard shipped the order');

  await inBrowser('shop-customer-tracks', async ({ page }) => {
    await page.goto('/hesap/giris?return=/hesap/siparisler');
    await page.waitForLoadState('load');
    await field(page, 'E-posta adresi').fill(buyer.email);
    await field(page, 'Parola').fill(buyer.password);
    await button(page, 'Giriş yap').click();
    await waitForPath(page, '/hesap/siparisler');
    await page.getByRole('link', { name: number }).click();
    await waitForText(page.locator('.order-status'), 'Kargoda');
    await waitForText(page.locator('[data-tracking-number]'), 'YK123456789');
  });
});
