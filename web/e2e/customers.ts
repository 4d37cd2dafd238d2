/**
 * The customers' list: two shoppers sign up through the API (one verifies the address
 * from its e-mail, the other signs in); the administrator finds them newest first with
 * the sign-up time in Istanbul, searches by a piece of a name, filters the unverified,
 * disables one (asked first; its session ends at once) and enables it again (not asked).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { api, apiOk, apiToken, env, field, heading, inBrowser, seenMail, signInFromStart } from './harness';
import { waitForLink } from './outbox';

const PASSWORD = 'kırmızı elma ağacı';
// Sign-ups are limited to 5 a minute per address: two are enough. The surnames are not in
// the addresses, so that finding one by its surname is the name's search.
const verified = { email: 'musteri.bir@example.com', name: 'Deniz Kaya' };
const other = { email: 'musteri.iki@example.com', name: 'Selin Demir' };

const register = (customer: { email: string; name: string }) =>
  apiOk('mutation($i: RegisterInput!) { register(input: $i) }', { i: { email: customer.email, password: PASSWORD, name: customer.name, acceptTerms: true } });

const login = (email: string) =>
  apiOk<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: PASSWORD });

/** Who the token signs in, or null once its session has ended. */
async function signedInAs(token: string): Promise<string | null> {
  const answer = await api<{ me: { email: string } | null }>('{ me { email } }', {}, token);
  return answer.data?.me?.email ?? null;
}

/** "13:49": the wall-clock time of `iso` in Istanbul, as the list shows it. */
const istanbulTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Istanbul', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

const row = (page: Page, email: string) => page.locator('tbody tr').filter({ hasText: email });

test('customers: the list, search and filters; disabling asks first and ends the sessions, enabling does not ask', async () => {
  await register(verified);
  await register(other);
  const { link } = await waitForLink(env.server.outbox, verified.email, '/hesap/dogrula', { seen: seenMail });
  await apiOk('mutation($t: String!) { verifyEmail(token: $t) { expiresAt } }', { t: link.split('#token=')[1] });
  const session = (await login(other.email)).login.token;
  assert.equal(await signedInAs(session), other.email);

  await inBrowser('customers', async ({ page }) => {
    await signInFromStart(page);
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Müşteriler', exact: true }).click();
    await waitForPath(page, '/dashboard/customers/');
    await waitForText(heading(page), 'Müşteriler');

    // Newest first: the one who signed up last is on top.
    const count = page.locator('.customer-count');
    await waitForText(count, /^(\d+) müşteriden \1 tanesi gösteriliyor\.$/);
    assert.deepEqual((await page.locator('tbody .customer-email').allTextContents()).slice(0, 2), [other.email, verified.email]);
    const first = row(page, verified.email);
    await waitForText(first, verified.name);
    await waitForText(first, 'Doğrulandı');
    await waitForText(first, 'Etkin');
    await waitForText(row(page, other.email), 'Doğrulanmadı');
    const signedUp = first.locator('time');
    await waitForText(signedUp, istanbulTime((await signedUp.getAttribute('datetime')) ?? ''));
    await checkAccessibility(page, 'customers');
    await screenshot(page, '80-customers');

    // A piece of the name (the address does not have it).
    const search = field(page, 'Ara (e-posta veya ad)');
    await search.fill('kaya');
    await waitForText(count, '1 müşteriden 1 tanesi gösteriliyor.');
    await waitForText(page.locator('tbody'), verified.email);
    await search.fill('kimsede olmayan');
    await waitForText(count, 'Bu süzgeçlere uyan müşteri yok.');
    await search.fill('');

    // The unverified only.
    await page.getByLabel('Doğrulama').selectOption({ label: 'Doğrulanmamış' });
    const body = page.locator('tbody');
    await waitForText(body, (text) => text.includes(other.email) && !text.includes(verified.email));

    // Disabling asks first, and says what it does to the sessions.
    const status = page.locator('.sr-status');
    const target = row(page, other.email);
    await target.getByRole('button', { name: `Devre dışı bırak: ${other.email}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Müşteriyi devre dışı bırak' });
    await waitForText(confirm, `${other.email} hesabı devre dışı bırakılsın mı? Açık oturumları hemen kapanır.`);
    await checkAccessibility(page, 'disable dialog');
    await screenshot(page, '81-customer-disable', { fullPage: false });
    await confirm.getByRole('button', { name: 'Evet, devre dışı bırak' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await waitForText(status, `${other.email} hesabı devre dışı bırakıldı; açık oturumları kapatıldı.`);
    await waitForText(target.locator('td').nth(4), 'Devre dışı');
    // Focus is back on the row's button, which now enables.
    const enable = target.getByRole('button', { name: `Etkinleştir: ${other.email}` });
    await page.waitForFunction((name) => document.activeElement?.getAttribute('aria-label') === name, `Etkinleştir: ${other.email}`);
    assert.equal(await signedInAs(session), null, 'the disabled customer is still signed in');
    const token = await apiToken();
    const listed = await apiOk<{ customers: { edges: Array<{ node: { disabled: boolean } }> } }>(
      'query($s: String) { customers(search: $s) { edges { node { disabled } } } }',
      { s: other.email },
      token,
    );
    assert.deepEqual(listed.customers.edges.map((e) => e.node.disabled), [true]);
    await page.getByLabel('Durum').selectOption({ label: 'Devre dışı' });
    await waitForText(count, '1 müşteriden 1 tanesi gösteriliyor.');

    // Enabling does not ask.
    await enable.click();
    await waitForText(status, `${other.email} hesabı etkinleştirildi.`);
    await waitForText(target.locator('td').nth(4), 'Etkin');
    assert.equal(await page.locator('dialog[open]').count(), 0);
    await target.getByRole('button', { name: `Devre dışı bırak: ${other.email}` }).waitFor();
    // The ended session stays ended; signing in works again.
    assert.equal(await signedInAs(session), null);
    assert.equal(await signedInAs((await login(other.email)).login.token), other.email);
  });
});
