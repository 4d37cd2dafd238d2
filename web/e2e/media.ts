/**
 * Phase 2, the media library: uploads with progress (throttled through the DevTools
 * protocol so that the bar can be seen moving), the crop dialog with Cropper.js and its
 * keyboard, variants, per-file errors (refused type, 413), cancelling, filters and
 * pages, deleting with confirmation, and the storage bar following it all live.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { usageLevel } from '../src/lib/meter';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { apiOk, apiToken, field, fixture, heading, inBrowser, signInFromStart } from './harness';

const sessions = new WeakMap<Page, CDPSession>();

/** Limits upload speed (bytes per second; -1: none) for the page's requests. */
async function throttleUploads(context: BrowserContext, page: Page, bytesPerSecond: number): Promise<void> {
  // One DevTools session per page: conditions set through another would stay in force.
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    sessions.set(page, cdp);
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

/** Waits until the <progress> shows a value strictly between 0 and 100; returns the values seen. */
async function seeProgress(bar: Locator): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const value = await bar.evaluate((p: HTMLProgressElement) => p.value).catch(() => null);
    if (value !== null && !seen.includes(value)) seen.push(value);
    if (value !== null && value > 0 && value < 100) return seen;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`no progress between 0 and 100 was shown (saw ${seen.join(', ')})`);
}

async function openMedia(page: Page): Promise<void> {
  await signInFromStart(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Medya' }).click();
  await waitForPath(page, '/dashboard/media/');
  await waitForText(heading(page), 'Medya');
  await page.locator('.library-count').waitFor();
}

const meter = (page: Page) => page.getByRole('meter', { name: 'Depolama alanı' });
const valueText = async (page: Page) => (await meter(page).getAttribute('aria-valuetext')) ?? '';

/** Waits for the storage bar to say something else than `previous` (pushed, no reload). */
async function storageChanges(page: Page, previous: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await valueText(page);
    if (now !== '' && now !== previous) return now;
    if (Date.now() > deadline) throw new Error(`the storage bar stayed at ${previous}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The bar's level matches the server's percentage (80 % amber, 95 % red). */
async function levelMatchesServer(page: Page): Promise<string> {
  const token = await apiToken();
  const { storageUsage } = await apiOk<{ storageUsage: { percent: number } }>('{ storageUsage { percent } }', {}, token);
  const expected = usageLevel(storageUsage.percent);
  await page.locator(`section.storage[data-level="${expected}"] .meter-fill.meter-${expected}`).waitFor();
  assert.equal(Number(await meter(page).getAttribute('aria-valuenow')), storageUsage.percent);
  return expected;
}

/** The crop dialog's readout ("Seçim: 2.667 × 2.000 piksel, sol üst köşe (167, 0)"), or null. */
function readoutOf(text: string): { w: number; h: number; x: number; y: number } | null {
  const m = text.match(/Seçim: ([\d.]+) × ([\d.]+) piksel, sol üst köşe \((\d+), (\d+)\)/);
  if (!m) return null;
  const n = (s: string) => Number(s.replace(/\./g, ''));
  return { w: n(m[1]!), h: n(m[2]!), x: n(m[3]!), y: n(m[4]!) };
}

function parseReadout(text: string): { w: number; h: number; x: number; y: number } {
  const parsed = readoutOf(text);
  if (!parsed) throw new Error(`unexpected readout: ${text}`);
  return parsed;
}

test('media: upload an image with visible progress, crop it for its section (keyboard), see the variants, re-crop for another preset', async () => {
  await inBrowser('media-upload-crop', async ({ page, context }) => {
    await openMedia(page);
    await waitForText(page.locator('.library-count'), 'Kütüphane henüz boş');
    const empty = await valueText(page);
    assert.equal(empty, '%0 dolu: 0 bayt / 2,5 MB');
    await checkAccessibility(page, 'media');
    await screenshot(page, '23-media-empty');

    await page.getByLabel('Bölüm', { exact: true }).selectOption('GALLERY');
    await field(page, 'Alternatif metin (isteğe bağlı)').fill('Dükkânın vitrini');
    await throttleUploads(context, page, 1024 * 1024);
    await page.locator('input[type="file"]').setInputFiles(fixture('photo-landscape.jpg'));
    const row = page.locator('.upload-item[data-file="photo-landscape.jpg"]');
    const seen = await seeProgress(row.getByRole('progressbar', { name: 'photo-landscape.jpg yükleniyor' }));
    await waitForText(row.locator('.upload-status'), /Yükleniyor: %\d+ \(.+ \/ 1,5 MB\)/);
    await screenshot(page, '24-upload-progress');
    await throttleUploads(context, page, -1);

    // The upload's section (Galeri) opens its preset: the crop dialog comes by itself.
    const dialog = page.getByRole('dialog', { name: 'Kırp' });
    await dialog.waitFor();
    await waitForText(row.locator('.upload-status'), 'Yüklendi.');
    console.log(`# upload progress seen: ${seen.join(' → ')} %`);
    const uploaded = await storageChanges(page, empty);
    assert.match(uploaded, /1,5 MB \/ 2,5 MB$/);
    assert.equal(await dialog.getByRole('radio', { name: /Galeri/ }).isChecked(), true);
    const readout = dialog.locator('.crop-readout');
    // The whole height at 4:3, centred: what Cropper shows, in the original's pixels.
    const initial = parseReadout(await waitForText(readout, /Seçim: 2\.66\d × 2\.000 piksel, sol üst köşe \(16\d, 0\)/));
    await checkAccessibility(page, 'crop dialog');

    // The keyboard: focus the crop area, zoom in (+), move the box (arrows; the 4:3 box
    // fills the 3:2 picture's height, so it moves sideways).
    const stage = dialog.getByRole('group', { name: 'Galeri için kırpma alanı' });
    await stage.focus();
    await page.keyboard.press('+');
    const zoomed = parseReadout(await waitForText(readout, (t) => (readoutOf(t)?.w ?? Infinity) < initial.w));
    assert.ok(Math.abs(zoomed.w / zoomed.h - 4 / 3) < 0.01, `the ratio drifted: ${zoomed.w}×${zoomed.h}`);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const left = parseReadout(await waitForText(readout, (t) => (readoutOf(t)?.x ?? Infinity) < zoomed.x));
    await page.keyboard.press('ArrowRight');
    const moved = parseReadout(await waitForText(readout, (t) => (readoutOf(t)?.x ?? -1) > left.x));
    assert.equal(moved.w, zoomed.w, 'moving changed the size');
    assert.equal(moved.y, zoomed.y, 'moving sideways moved the box up or down');
    await screenshot(page, '25-crop-dialog', { fullPage: false });

    // Enter saves; the button says what is going on meanwhile.
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('CropMedia')) {
        // The rectangle sent is the one shown (whole original pixels).
        const sent = (route.request().postDataJSON() as { variables: { rect: unknown } }).variables.rect;
        assert.deepEqual(sent, { x: moved.x, y: moved.y, width: moved.w, height: moved.h });
        await new Promise((r) => setTimeout(r, 600));
      }
      await route.continue();
    });
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Kırpılıyor…' }).waitFor();
    await waitForText(dialog.getByRole('status'), 'Galeri için 1 boyut oluşturuldu.');
    await page.unroute('**/graphql');
    const gallery = dialog.locator('.variant-preset[data-preset="gallery"]');
    await waitForText(gallery, 'Ana · 1.200 × 900');
    await waitForText(gallery, `kaynak ${moved.w.toLocaleString('tr-TR')} × ${moved.h.toLocaleString('tr-TR')}, (${moved.x}, ${moved.y})`);
    for (const format of ['JPEG', 'WEBP']) await gallery.getByRole('link', { name: format }).waitFor();
    const preview = gallery.getByRole('img', { name: 'Galeri – Ana önizlemesi' });
    await preview.waitFor();
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 1200, await preview.elementHandle());
    const cropped = await storageChanges(page, uploaded);
    await screenshot(page, '26-crop-variants', { fullPage: false });

    // Re-crop the same image for another preset: the carousel, with the centred default.
    await dialog.getByRole('radio', { name: /Karusel/ }).check();
    await dialog.getByRole('group', { name: 'Karusel için kırpma alanı' }).waitFor();
    await waitForText(readout, /Seçim: 3\.000 × 1\.125 piksel, sol üst köşe \(0, 43\d\)/);
    await dialog.getByRole('button', { name: 'Ortalanmış varsayılanı kullan' }).click();
    await waitForText(dialog.getByRole('status'), 'Karusel için ortalanmış varsayılan kırpımla 1 boyut oluşturuldu.');
    const carousel = dialog.locator('.variant-preset[data-preset="carousel"]');
    await waitForText(carousel, 'Ana · 1.920 × 720');
    await waitForText(carousel, 'kaynak 3.000 × 1.125, (0, 437)');
    // The gallery's variants stay.
    await waitForText(gallery, 'Ana · 1.200 × 900');
    await storageChanges(page, cropped);
    await screenshot(page, '27-crop-recropped', { fullPage: false });

    // Escape closes; focus goes back where it was when the dialog opened by itself.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction((el) => el === document.activeElement, await field(page, 'Alternatif metin (isteğe bağlı)').elementHandle());
    const card = page.locator('.media-card').filter({ hasText: 'Dükkânın vitrini' });
    const cropButton = card.getByRole('button', { name: 'Kırp: Dükkânın vitrini' });
    await waitForText(card, 'Kırpıldı: Karusel, Galeri');
    // The thumbnail is a variant now, not the 3000×2000 original.
    const thumb = (await card.locator('.media-thumb img').getAttribute('src')) ?? '';
    const { mediaList } = await apiOk<{ mediaList: { edges: Array<{ node: { url: string } }> } }>(
      '{ mediaList(first: 1) { edges { node { url } } } }',
      {},
      await apiToken(),
    );
    assert.notEqual(thumb, mediaList.edges[0]?.node.url);
    assert.match(thumb, /\/media\/.+\.(webp|jpg)$/);

    // Any image can be re-cropped later: the button opens the dialog on its section's preset.
    await cropButton.click();
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('radio', { name: /Galeri/ }).isChecked(), true);
    await waitForText(readout, /Seçim: /);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction((el) => el === document.activeElement, await cropButton.elementHandle());
  });
});

test('media: a video with progress, a refused file and a too large one fail on their own rows, cancelling, filters and pages', async () => {
  await inBrowser('media-more-uploads', async ({ page, context, problems }) => {
    await openMedia(page);
    const section = page.getByLabel('Bölüm', { exact: true });
    const input = page.locator('input[type="file"]');
    const dialog = page.getByRole('dialog', { name: 'Kırp' });

    // A video: progress, no crop dialog, a card with its duration.
    await section.selectOption('OTHER');
    await throttleUploads(context, page, 120 * 1024);
    await input.setInputFiles(fixture('clip.mp4'));
    const videoRow = page.locator('.upload-item[data-file="clip.mp4"]');
    await seeProgress(videoRow.getByRole('progressbar', { name: 'clip.mp4 yükleniyor' }));
    await throttleUploads(context, page, -1);
    await waitForText(videoRow.locator('.upload-status'), 'Yüklendi.');
    const videoCard = page.locator('.media-card[data-kind="VIDEO"]');
    await waitForText(videoCard, 'Video #');
    await waitForText(videoCard.locator('.media-duration'), '0:03');
    await waitForText(videoCard, '640 × 360');
    assert.equal(await dialog.isVisible(), false, 'a video opened the crop dialog');

    // Dropped on the zone (the picker's twin): a text file the browser calls a JPEG.
    const zone = page.locator('.dropzone');
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['just some text, not a picture'], 'birakilan.jpg', { type: 'image/jpeg' }));
      return transfer;
    });
    await zone.dispatchEvent('dragenter', { dataTransfer: dropped });
    await page.waitForFunction((el) => el.classList.contains('is-dragging'), await zone.elementHandle());
    await zone.dispatchEvent('drop', { dataTransfer: dropped });
    await page.waitForFunction((el) => !el.classList.contains('is-dragging'), await zone.elementHandle());
    await waitForText(page.locator('.upload-item[data-file="birakilan.jpg"]').getByRole('alert'), 'metin dosyası gibi görünüyor');

    // A text file named .jpg next to a real picture: the error is that file's only.
    await section.selectOption('PRODUCT');
    await input.setInputFiles([fixture('notes.jpg'), fixture('small.png')]);
    const notesRow = page.locator('.upload-item[data-file="notes.jpg"]');
    const pngRow = page.locator('.upload-item[data-file="small.png"]');
    await waitForText(notesRow.getByRole('alert'), 'Bu dosya türü kabul edilmiyor: dosya bir metin dosyası gibi görünüyor');
    await dialog.waitFor();
    // The product section opens the product preset.
    assert.equal(await dialog.getByRole('radio', { name: /Ürün/ }).isChecked(), true);
    await waitForText(dialog.locator('.crop-readout'), /Seçim: 600 × 600 piksel, sol üst köşe \((99|100|101), 0\)/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await waitForText(pngRow.locator('.upload-status'), 'Yüklendi.');
    assert.equal(await notesRow.getAttribute('data-status'), 'error');
    assert.equal(await pngRow.getAttribute('data-status'), 'done');
    assert.equal(await pngRow.getByRole('alert').count(), 0);

    // Larger than the server accepts (the browser cannot tell the type): the server cuts
    // it off with 413 and its JSON error, shown on that row. Chromium logs the 413.
    problems.expected.push(/Failed to load resource: the server responded with a status of 413/);
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), Buffer.alloc(16_500_000)]);
    await input.setInputFiles({ name: 'buyuk.bin', mimeType: 'application/octet-stream', buffer: big });
    await waitForText(page.locator('.upload-item[data-file="buyuk.bin"]').getByRole('alert'), 'Resim çok büyük: en fazla 15 MiB olabilir.');
    await screenshot(page, '28-upload-errors');

    // Cancelling an upload on its way (xhr.abort).
    await throttleUploads(context, page, 64 * 1024);
    await input.setInputFiles(fixture('photo-landscape.jpg'));
    const slowRow = page.locator('.upload-item[data-file="photo-landscape.jpg"]');
    await seeProgress(slowRow.getByRole('progressbar'));
    await slowRow.getByRole('button', { name: 'photo-landscape.jpg yüklemesini iptal et' }).click();
    await waitForText(slowRow.locator('.upload-status'), 'Yükleme iptal edildi.');
    assert.equal(await slowRow.getAttribute('data-status'), 'cancelled');
    await throttleUploads(context, page, -1);
    await page.getByRole('button', { name: 'Bitenleri listeden kaldır' }).click();
    assert.equal(await page.locator('.upload-item').count(), 0);

    // Filters.
    const count = page.locator('.library-count');
    await waitForText(count, '3 öğeden 3 tanesi gösteriliyor.');
    await page.getByLabel('Türe göre süz').selectOption('VIDEO');
    await waitForText(count, '1 öğeden 1 tanesi gösteriliyor.');
    assert.equal(await page.locator('.media-card[data-kind="IMAGE"]').count(), 0);
    await page.getByLabel('Türe göre süz').selectOption('');
    await page.getByLabel('Bölüme göre süz').selectOption('PRODUCT');
    await waitForText(count, '1 öğeden 1 tanesi gösteriliyor.');
    await waitForText(page.locator('.media-card'), 'Ürün');
    await page.getByLabel('Bölüme göre süz').selectOption('CAROUSEL');
    await waitForText(count, 'Bu süzgeçlere uyan öğe yok.');

    // Pages: with one item per page (the request rewritten), "more" walks the cursor.
    await page.route('**/graphql', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { operationName?: string; variables?: { first?: number } };
      if (body.operationName === 'MediaList' && body.variables) body.variables.first = 1;
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByLabel('Bölüme göre süz').selectOption('');
    await waitForText(count, '3 öğeden 1 tanesi gösteriliyor.');
    const more = page.getByRole('button', { name: 'Daha fazla göster' });
    await more.click();
    await waitForText(count, '3 öğeden 2 tanesi gösteriliyor.');
    await more.click();
    await waitForText(count, '3 öğeden 3 tanesi gösteriliyor.');
    await more.waitFor({ state: 'detached' });
    await page.unroute('**/graphql');
    // Newest first: the product picture, the video, the gallery photo.
    const names = await page.locator('.media-card .media-name').allTextContents();
    assert.deepEqual(names.map((n) => n.replace(/#\d+/, '#')), ['Resim #', 'Video #', 'Dükkânın vitrini']);
  });
});

test('media: the storage bar follows deletes live on every open page; deleting asks first', async () => {
  await inBrowser('media-delete', async ({ page, context }) => {
    await openMedia(page);
    await waitForText(page.locator('.library-count'), '3 öğeden 3');
    const levels = [await levelMatchesServer(page)];
    // The home page, open in another tab, has the compact bar.
    const home = await context.newPage();
    await home.goto('/dashboard/');
    await meter(home).waitFor();
    await waitForText(home.locator('.storage-breakdown-line'), 'Resimler: 2 dosya');
    await screenshot(home, '29-home-storage');
    // Back to the media page's tab (a background tab's animation frames are throttled).
    await page.bringToFront();

    // Delete the video: a confirmation first; Escape keeps it and focus returns.
    const videoCard = page.locator('.media-card[data-kind="VIDEO"]');
    const name = (await videoCard.locator('.media-name').textContent()) ?? '';
    const deleteButton = videoCard.getByRole('button', { name: `Sil: ${name}` });
    await deleteButton.click();
    const confirm = page.getByRole('dialog', { name: 'Medya silinsin mi?' });
    await confirm.waitFor();
    await waitForText(confirm, `“${name}” ve tüm kırpılmış boyutları kalıcı olarak silinecek.`);
    // The safe choice has focus.
    assert.equal(await confirm.getByRole('button', { name: 'Vazgeç' }).evaluate((b) => b === document.activeElement), true);
    await checkAccessibility(page, 'delete dialog');
    await screenshot(page, '30-delete-confirm', { fullPage: false });
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await deleteButton.evaluate((b) => b === document.activeElement), true, 'focus did not return to the delete button');

    const before = await valueText(page);
    const homeBefore = await valueText(home);
    await deleteButton.click();
    await confirm.getByRole('button', { name: 'Evet, sil' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await waitForText(page.getByRole('status').filter({ hasText: 'silindi' }), `“${name}” silindi.`);
    await videoCard.waitFor({ state: 'detached' });
    await waitForText(page.locator('.library-count'), '2 öğeden 2');
    // Focus goes to the library (the button is gone).
    await page.waitForFunction(() => document.activeElement?.id === 'library-title');
    // Both bars follow without a reload.
    const after = await storageChanges(page, before);
    await storageChanges(home, homeBefore);
    await waitForText(page.locator('.storage-breakdown'), /Videolar0 dosya · 0 bayt/);
    levels.push(await levelMatchesServer(page));

    // Delete the product picture too: the bar drops again.
    const pngCard = page.locator('.media-card').filter({ hasText: 'Ürün' });
    await pngCard.getByRole('button', { name: /^Sil: / }).click();
    await confirm.getByRole('button', { name: 'Evet, sil' }).click();
    await pngCard.waitFor({ state: 'detached' });
    await storageChanges(page, after);
    levels.push(await levelMatchesServer(page));
    console.log(`# storage levels: ${levels.join(' → ')}`);
    assert.ok(new Set(levels).size > 1, `the bar never changed colour (${levels.join(', ')})`);
    await screenshot(page, '31-after-delete');
  });
});

test('media: on Cloudinary the storage card adds the provider’s own figures and says when they are stale', async () => {
  await inBrowser('storage-cloudinary', async ({ page }) => {
    await signInFromStart(page);
    // This server stores locally: its answer is replaced by a Cloudinary one, and the
    // websocket (which would push the real figures) is kept closed.
    await page.routeWebSocket(/\/graphql\/ws$/, (socket) => socket.close());
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { operationName?: string } | null;
      if (body?.operationName !== 'StorageUsage') return route.continue();
      await route.fulfill({
        json: {
          data: {
            storageUsage: {
              usedBytes: '24100000000',
              limitBytes: '25000000000',
              percent: 96.4,
              images: { count: 1200, bytes: '20000000000' },
              videos: { count: 14, bytes: '4100000000' },
              provider: 'CLOUDINARY',
              providerUsage: {
                plan: 'Free',
                storageBytes: '3200000000',
                creditsUsed: 12.5,
                creditsLimit: 25,
                creditsUsedPercent: 50,
                lastUpdated: '2026-11-26',
                fetchedAt: '2026-11-27T10:00:00Z',
                ageSeconds: 720,
                stale: true,
              },
            },
          },
        },
      });
    });
    await page.goto('/dashboard/media/');
    const card = page.locator('section.storage');
    await waitForText(card, '24,1 GB / 25 GB kullanılıyor');
    assert.equal(await card.getAttribute('data-level'), 'danger');
    assert.equal(await meter(page).getAttribute('aria-valuetext'), '%96,4 dolu: 24,1 GB / 25 GB');
    await waitForText(card, 'Depolama alanınız neredeyse tamamen doldu.');
    await waitForText(card, 'Videolar14 dosya · 4,1 GB');
    const provider = card.locator('.provider-usage');
    await waitForText(provider, 'Cloudinary hesabı');
    await waitForText(provider, 'PlanFree');
    await waitForText(provider, 'Cloudinary’de kullanılan alan3,2 GB');
    await waitForText(provider, 'Kullanılan kredi12,5 / 25 (%50)');
    await waitForText(provider, 'Son güncelleme26 Kasım 2026alındı: 27 Kasım 2026 13:00');
    await waitForText(card, 'Resimler1.200 dosya · 20 GB');
    await waitForText(provider.getByRole('status'), 'Bu bilgiler güncel değil: Cloudinary’ye şu an ulaşılamıyor, gösterilenler 12 dakika önceki son bilgiler.');
    await screenshot(page, '32-storage-cloudinary');
  });
});
