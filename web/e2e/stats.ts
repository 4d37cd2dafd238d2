/**
 * Phase 2, statistics: reviews submitted through the public API are moderated in the
 * dashboard and the live numbers follow without a reload; contact messages are read
 * and marked; the settings form sends what changed; the numbers can be recomputed.
 *
 * The server lets one address submit 3 reviews per 10 minutes: this file submits two,
 * the widget's test the third.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { apiOk, field, heading, inBrowser, publicStats, signInFromStart } from './harness';

/** The final (spoken) value of a live number tile. */
const tile = (page: Page, stat: string) => page.locator(`.stat-tile[data-stat="${stat}"] dd .visually-hidden`);

const nf = (n: number) => n.toLocaleString('tr-TR');

async function submitReview(authorName: string, rating: number, comment: string, email?: string): Promise<string> {
  const data = await apiOk<{ submitReview: { id: string; status: string } }>(
    'mutation($input: ReviewInput!) { submitReview(input: $input) { id status } }',
    { input: { authorName, rating, comment, email } },
  );
  assert.equal(data.submitReview.status, 'PENDING');
  return data.submitReview.id;
}

test('statistics: moderate reviews (the live numbers follow), read messages, change the settings, recompute', async () => {
  // Visitors write in through the public API (no sign-in).
  await submitReview('Ayşe K.', 5, 'Mutfağımızı çok güzel yenilediler, teşekkürler!', 'ayse.k@example.com');
  await submitReview('Mehmet T.', 2, 'İş iyi ama iki gün geç bitti.');
  for (const input of [
    { name: 'Zeynep', email: 'zeynep@example.com', phone: '+90 (532) 000 00 00', subject: 'Banyo tadilatı teklifi', message: 'Merhaba,\nbanyo için fiyat alabilir miyim?' },
    { name: 'Can', email: 'can@example.com', message: 'Cumartesi açık mısınız?' },
  ]) {
    await apiOk('mutation($input: ContactInput!) { submitContactMessage(input: $input) }', { input });
  }

  await inBrowser('stats', async ({ page }) => {
    await signInFromStart(page);
    await page.getByRole('navigation').getByRole('link', { name: 'İstatistikler' }).click();
    await waitForPath(page, '/dashboard/stats/');
    await waitForText(heading(page), 'İstatistikler');
    const numbers = page.locator('section.live-numbers');
    await waitForText(numbers.locator('.live-badge'), 'Canlı');
    let stats = await publicStats();
    await waitForText(tile(page, 'reviewCount'), nf(stats.reviewCount));
    await waitForText(tile(page, 'contactMessages'), nf(stats.contactMessages));

    // The moderation queue: waiting reviews first, one page at a time (one per page here).
    await page.route('**/graphql', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { operationName?: string; variables?: { first?: number } };
      if (body.operationName === 'Reviews' && body.variables) body.variables.first = 1;
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByRole('radio', { name: 'Tümü' }).check();
    await page.getByRole('radio', { name: 'Onay bekleyenler' }).check();
    const reviews = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Yorumlar', exact: true }) });
    await waitForText(reviews, '2 yorumdan 1 tanesi gösteriliyor.');
    await reviews.getByRole('button', { name: 'Daha fazla göster' }).click();
    await waitForText(reviews, '2 yorumdan 2 tanesi gösteriliyor.');
    await page.unroute('**/graphql');
    await waitForText(reviews.locator('.review').first(), 'Onay bekliyor');
    await waitForText(reviews, '5 üzerinden 5 puan');
    await reviews.getByRole('link', { name: 'ayse.k@example.com' }).waitFor();
    await checkAccessibility(page, 'stats');
    await screenshot(page, '33-stats');

    // Approve: the button says so while it works; the review leaves the queue; the live
    // numbers change without a reload.
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('ApproveReview')) await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await reviews.getByRole('button', { name: 'Onayla: Ayşe K.' }).click();
    await reviews.getByRole('button', { name: 'Onaylanıyor…' }).waitFor();
    await waitForText(reviews.getByRole('status'), 'Ayşe K. adlı kişinin yorumu onaylandı.');
    await page.unroute('**/graphql');
    await reviews.locator('.review').filter({ hasText: 'Ayşe K.' }).waitFor({ state: 'detached' });
    await waitForText(reviews, '1 yorumdan 1 tanesi gösteriliyor.');
    const before = stats;
    stats = await publicStats();
    assert.equal(stats.reviewCount, before.reviewCount + 1);
    assert.equal(stats.happyCustomers, before.happyCustomers + 1);
    await waitForText(tile(page, 'reviewCount'), nf(stats.reviewCount));
    await waitForText(tile(page, 'happyCustomers'), nf(stats.happyCustomers));
    await waitForText(tile(page, 'completedJobs'), nf(stats.completedJobs));
    await waitForText(tile(page, 'averageRating'), '5 / 5');
    await waitForText(tile(page, 'satisfactionPercent'), '%100');

    // Reject the other one, find it among the rejected, delete it (asked first).
    await reviews.getByRole('button', { name: 'Reddet: Mehmet T.' }).click();
    await waitForText(reviews.getByRole('status'), 'Mehmet T. adlı kişinin yorumu reddedildi.');
    await waitForText(reviews, 'Onay bekleyen yorum yok.');
    await page.getByRole('radio', { name: 'Reddedilenler' }).check();
    const rejected = reviews.locator('.review').filter({ hasText: 'Mehmet T.' });
    await waitForText(rejected, 'Reddedildi');
    const deleteButton = rejected.getByRole('button', { name: 'Sil: Mehmet T.' });
    await deleteButton.click();
    const confirm = page.getByRole('dialog', { name: 'Yorum silinsin mi?' });
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await deleteButton.evaluate((b) => b === document.activeElement), true, 'focus did not return to the delete button');
    await deleteButton.click();
    await confirm.getByRole('button', { name: 'Sil', exact: true }).click();
    await waitForText(reviews.getByRole('status'), 'Mehmet T. adlı kişinin yorumu silindi.');
    await rejected.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'reviews-title');
    await page.getByRole('radio', { name: 'Onaylananlar' }).check();
    await waitForText(reviews.locator('.review'), 'Ayşe K.');
    await screenshot(page, '34-reviews');

    // Contact messages: unread first; mark one read; only the unread ones.
    const messages = page.locator('section').filter({ has: page.getByRole('heading', { name: 'İletişim mesajları' }) });
    await waitForText(messages, '2 mesajdan 2 tanesi gösteriliyor.');
    const zeynep = messages.locator('.message').filter({ hasText: 'Banyo tadilatı teklifi' });
    await waitForText(zeynep, 'Okunmadı');
    await waitForText(zeynep, 'Gönderen: Zeynep');
    await zeynep.getByRole('link', { name: '+90 (532) 000 00 00' }).waitFor();
    await zeynep.getByRole('button', { name: 'Okundu olarak işaretle: Banyo tadilatı teklifi' }).click();
    await waitForText(messages.getByRole('status'), 'Zeynep adlı kişinin mesajı okundu olarak işaretlendi.');
    await waitForText(zeynep.locator('.badge'), 'Okundu');
    assert.equal(await zeynep.getByRole('button').count(), 0);
    await messages.getByLabel('Yalnızca okunmamışları göster').check();
    await waitForText(messages, '1 mesajdan 1 tanesi gösteriliyor.');
    await waitForText(messages.locator('.message'), '(Konu yok)');
    await screenshot(page, '35-messages');

    // Settings: a refused value is explained on its field; then a real change is saved
    // and the live numbers follow.
    const settings = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Ayarlar' }) });
    const year = field(page, 'Kuruluş yılı');
    await year.fill('1700');
    await settings.getByRole('button', { name: 'Ayarları kaydet' }).click();
    await waitForText(settings.locator('.field-error'), /Kuruluş yılı 1800 ile \d{4} arasında olmalı\./);
    assert.equal(await year.evaluate((el) => el === document.activeElement), true);
    await year.fill('2010');
    await field(page, 'Tamamlanan iş başlangıç sayısı').fill('120');
    await field(page, 'Mutlu müşteri sayılan en düşük puan').selectOption('4');
    await settings.getByLabel('Ziyaretleri tamamlanan iş say').uncheck();
    const sent: unknown[] = [];
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('UpdateStatSettings')) sent.push((r.postDataJSON() as { variables: unknown }).variables);
    });
    await settings.getByRole('button', { name: 'Ayarları kaydet' }).click();
    await waitForText(settings.getByRole('status'), 'Ayarlar kaydedildi.');
    // Only what changed was sent.
    assert.deepEqual(sent, [{ input: { completedJobsBase: 120, foundedYear: 2010, happyThreshold: 4, countVisitsAsJobs: false } }]);
    stats = await publicStats();
    assert.equal(stats.yearsOfExperience, new Date().getFullYear() - 2010);
    await waitForText(tile(page, 'completedJobs'), nf(stats.completedJobs));
    await waitForText(tile(page, 'yearsOfExperience'), nf(stats.yearsOfExperience));
    await settings.getByRole('button', { name: 'Ayarları kaydet' }).click();
    await waitForText(settings.getByRole('status'), 'Değiştirilmiş bir ayar yok.');
    await page.reload();
    await field(page, 'Tamamlanan iş başlangıç sayısı').waitFor();
    assert.equal(await field(page, 'Tamamlanan iş başlangıç sayısı').inputValue(), '120');
    assert.equal(await page.getByLabel('Ziyaretleri tamamlanan iş say').isChecked(), false);
    // After the reload the server's order shows: unread first.
    const order = await page.locator('.message').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.read));
    assert.deepEqual(order, ['false', 'true']);
    await screenshot(page, '36-settings');

    // Recompute: progress, then the result.
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('RecomputeStats')) await new Promise((r) => setTimeout(r, 500));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Yeniden hesapla' }).click();
    await page.getByRole('button', { name: 'Hesaplanıyor…' }).waitFor();
    await waitForText(page.getByRole('status').filter({ hasText: 'yeniden hesaplandı' }), 'Sayılar yeniden hesaplandı.');
    await page.unroute('**/graphql');
    await waitForText(tile(page, 'completedJobs'), nf(stats.completedJobs));
  });
});
