/**
 * The catalogue screens: the category tree (create, rename, move, a delete refused while
 * products are filed there), the product form (checks at the fields, the server's
 * refusal shown at the field it names), its media picker (uploads with the crop step,
 * a refused file on its own row, the library, drag and drop and the keyboard's move
 * buttons, the limits), one setProductMedia checked through the API, the list with its
 * filters, deleting, and the product's page in the storefront with its gallery.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForPath, waitForText } from './browser';
import { mainFile, modalClosed, modalOpen, ready, zoomState } from './gallery';
import { apiOk, apiToken, field, fixture, heading, inBrowser, signInFromStart } from './harness';

const PRODUCT = 'Seramik kupa seti';

/** What the product scenario made, for the storefront's. */
const made: { id: string; slug: string; url: string; images: string[]; video: string } = { id: '', slug: '', url: '', images: [], video: '' };

async function openFromNav(page: Page, name: string, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name, exact: true }).click();
  await waitForPath(page, path);
  await waitForText(heading(page), name);
}

const categoryRow = (page: Page, name: string) => page.locator('.category-tree li').filter({ has: page.locator(':scope > .category-row .category-name', { hasText: new RegExp(`^${name}$`) }) });

/** The ids of the product's pictures as the picker lists them. */
const pickedOrder = (page: Page) => page.locator('.picked-list > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-media-id') ?? ''));

async function waitForOrder(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const order = await pickedOrder(page);
    if (order.join() === expected.join()) return;
    if (Date.now() > deadline) throw new Error(`the pictures are in the order ${order.join()}, expected ${expected.join()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the focus is on the picked picture `id`'s button `action` ("up", "down"). */
async function waitForFocus(page: Page, id: string, action: string): Promise<void> {
  await page
    .waitForFunction(
      ([id, action]) => document.activeElement?.getAttribute('data-action') === action && document.activeElement?.closest('li')?.getAttribute('data-media-id') === id,
      [id, action],
    )
    .catch(() => undefined);
  const focused = await page.evaluate(() => `${document.activeElement?.closest('li')?.getAttribute('data-media-id')}:${document.activeElement?.getAttribute('data-action')}`);
  assert.equal(focused, `${id}:${action}`, 'where the focus is after a move');
}

/** The accessible name a picked picture's buttons use (its alt text, or "Resim #<id>"). */
async function pictureName(item: Locator): Promise<string> {
  return ((await item.locator('.picked-name').textContent()) ?? '').trim();
}

test('catalog: the category tree — create with and without a parent, rename and move in one dialog', async () => {
  await inBrowser('catalog-categories', async ({ page }) => {
    await signInFromStart(page);
    await openFromNav(page, 'Kategoriler', '/dashboard/categories/');
    await waitForText(page.locator('main'), 'Henüz kategori yok.');
    await checkAccessibility(page, 'categories');

    const name = field(page, 'Kategori adı');
    const parent = page.getByLabel('Üst kategori');
    const status = page.locator('.sr-status');
    // A name is needed (checked before asking the server).
    await page.getByRole('button', { name: 'Kategori ekle' }).click();
    await waitForText(page.locator('.field-error'), 'Bu alanı doldurun.');

    await name.fill('Mutfak');
    await page.getByRole('button', { name: 'Kategori ekle' }).click();
    await waitForText(status, '“Mutfak” eklendi.');
    await name.fill('Kupalar');
    await parent.selectOption({ label: 'Mutfak' });
    await page.getByRole('button', { name: 'Kategori ekle' }).click();
    await waitForText(status, '“Kupalar” eklendi.');
    await parent.selectOption({ label: '(Yok: en üst düzey)' });
    await name.fill('Fincan');
    await page.getByRole('button', { name: 'Kategori ekle' }).click();
    await waitForText(status, '“Fincan” eklendi.');
    // A third level can hold no fourth: Mutfak › Kupalar is offered as a parent, nothing under it.
    const offered = await parent.locator('option').allTextContents();
    assert.deepEqual(offered, ['(Yok: en üst düzey)', 'Fincan', 'Mutfak', 'Mutfak › Kupalar']);

    // Rename and move at once: Fincan → Fincanlar, under Mutfak.
    await categoryRow(page, 'Fincan').getByRole('button', { name: 'Düzenle: Fincan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Kategoriyi düzenle' });
    await dialog.waitFor();
    // A category cannot go under itself.
    assert.ok(!(await dialog.getByLabel('Üst kategori').locator('option').allTextContents()).includes('Fincan'));
    await dialog.getByLabel('Kategori adı').fill('Fincanlar');
    await dialog.getByLabel('Üst kategori').selectOption({ label: 'Mutfak' });
    await checkAccessibility(page, 'category dialog');
    await screenshot(page, '60-category-edit', { fullPage: false });
    await dialog.getByRole('button', { name: 'Kaydet' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForText(status, '“Fincanlar” kaydedildi.');
    const mutfak = categoryRow(page, 'Mutfak');
    assert.equal(await mutfak.getAttribute('data-depth'), '1');
    assert.deepEqual(await mutfak.locator(':scope > ul > li .category-name').allTextContents(), ['Fincanlar', 'Kupalar']);
    assert.equal(await categoryRow(page, 'Kupalar').getAttribute('data-depth'), '2');
    await screenshot(page, '61-categories');
  });
});

test('catalog: a product with three pictures (reordered) and a video, saved in one go', async () => {
  const token = await apiToken();
  // Another product already has the SKU typed first: the server refuses it at that field.
  await apiOk('mutation($input: ProductInput!) { createProduct(input: $input) { id } }', { input: { name: 'Eski kupa', price: '50000', sku: 'KUPA-1' } }, token);

  await inBrowser('catalog-product', async ({ page, problems }) => {
    await signInFromStart(page);
    await openFromNav(page, 'Ürünler', '/dashboard/products/');
    await waitForText(page.locator('.product-count'), '1 üründen 1 tanesi gösteriliyor.');
    await page.getByRole('link', { name: 'Yeni ürün' }).click();
    await waitForPath(page, '/dashboard/products/new');
    await waitForText(heading(page), 'Yeni ürün');
    // The products' link stays current on its form.
    assert.equal(await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Ürünler' }).getAttribute('aria-current'), 'page');

    await field(page, 'Ürün adı').fill(PRODUCT);
    await field(page, 'Açıklama (Markdown)').fill('**El yapımı** dört kupa.\n\n- Bulaşık makinesinde yıkanabilir');
    await field(page, 'Stok kodu (SKU)').fill('KUPA-1');
    // "1.299" could be 1.299 ₺ or 1299 ₺: refused at the field, with the way to write it.
    await field(page, 'Fiyat').fill('1.299');
    await field(page, 'İndirimli fiyat (isteğe bağlı)').fill('999,9');
    await waitForText(page.locator('.field-hint').filter({ hasText: 'Okunan' }), 'Okunan: 999,90 ₺');
    await field(page, 'Stok adedi').fill('12');
    await page.getByRole('checkbox', { name: 'Kupalar' }).check();
    await page.getByRole('checkbox', { name: /^Yayında/ }).check();
    assert.equal(await field(page, 'KDV oranı (%)').inputValue(), '20');

    // The media: three pictures and a text file named .jpg (refused on its own row).
    const picker = page.locator('section.media-picker');
    const images = picker.locator('[data-limit="images"]');
    const videos = picker.locator('[data-limit="video"]');
    await waitForText(images, '0 / 5 görsel');
    await waitForText(videos, '0 / 1 video');
    await page
      .locator('input[type="file"][data-kind="IMAGE"]')
      .setInputFiles([fixture('notes.jpg'), fixture('photo-landscape.jpg'), fixture('small.png'), fixture('small.webp')]);
    await waitForText(picker.locator('.upload-item[data-file="notes.jpg"]').getByRole('alert'), 'metin dosyası gibi görünüyor');
    // Each new picture opens the crop step on the product preset (one after another).
    const crop = page.getByRole('dialog', { name: 'Kırp' });
    for (let i = 0; i < 3; i++) {
      await crop.waitFor();
      assert.equal(await crop.getByRole('radio', { name: /Ürün/ }).isChecked(), true);
      const shown = await crop.locator('.crop-image').getAttribute('src');
      if (i === 0) {
        await checkAccessibility(page, 'product crop');
        await crop.getByRole('button', { name: 'Ortalanmış varsayılanı kullan' }).click();
        await waitForText(crop.getByRole('status'), /Ürün için ortalanmış varsayılan kırpımla \d+ boyut oluşturuldu\./);
        await screenshot(page, '62-product-crop', { fullPage: false });
      }
      await page.keyboard.press('Escape');
      // The next one (if any) replaces it in the same dialog.
      await page.waitForFunction(
        (src) => document.querySelector('dialog[open] .crop-image')?.getAttribute('src') !== src,
        shown,
      );
    }
    await crop.waitFor({ state: 'hidden' });
    await waitForText(images, '3 / 5 görsel');
    const first = await pickedOrder(page);
    assert.equal(first.length, 3);

    // The video: uploaded too; then both video buttons are off (1 / 1).
    await page.locator('input[type="file"][data-kind="VIDEO"]').setInputFiles(fixture('clip.webm'));
    await waitForText(videos, '1 / 1 video');
    await waitForText(picker.locator('.picked-video'), '0:03');
    assert.equal(await picker.getByRole('button', { name: 'Yeni video yükle' }).isDisabled(), true);
    assert.equal(await picker.getByRole('button', { name: 'Kütüphaneden video seç' }).isDisabled(), true);

    // Take a picture off and put it back from the library: it goes last.
    const [a, b, c] = first as [string, string, string];
    const item = (id: string) => picker.locator(`.picked-list > li[data-media-id="${id}"]`);
    await item(b).getByRole('button', { name: /^Üründen kaldır: / }).click();
    await waitForText(images, '2 / 5 görsel');
    await picker.getByRole('button', { name: 'Kütüphaneden görsel seç' }).click();
    const library = page.getByRole('dialog', { name: 'Kütüphaneden görsel seç' });
    await library.waitFor();
    await waitForText(library.getByRole('status'), 'En fazla 3 öğe seçebilirsiniz; seçilen: 0.');
    // Those on the product are shown as such and cannot be chosen twice.
    assert.equal(await library.locator(`[data-media-id="${a}"] input`).isDisabled(), true);
    await library.locator(`[data-media-id="${b}"] input`).check();
    await checkAccessibility(page, 'library dialog');
    await screenshot(page, '63-product-library', { fullPage: false });
    await library.getByRole('button', { name: 'Seçilenleri ekle (1)' }).click();
    await library.waitFor({ state: 'hidden' });
    await waitForOrder(page, [a, c, b]);

    // Drag and drop: the last picture onto the first.
    await item(b).dragTo(item(a));
    await waitForOrder(page, [b, a, c]);
    // The keyboard: "Aşağı taşı" on the first, then Enter again on the button that keeps focus.
    const nameOfB = await pictureName(item(b));
    await item(b).getByRole('button', { name: `Aşağı taşı: ${nameOfB}` }).focus();
    await page.keyboard.press('Enter');
    await waitForOrder(page, [a, b, c]);
    await waitForText(picker.locator('.sr-status'), `${nameOfB} 2. sıraya taşındı.`);
    // The list re-renders with the picture in its new place, then focus comes back to
    // its "down" (a keyboard user presses Enter again once it has).
    await waitForFocus(page, b, 'down');
    await page.keyboard.press('Enter');
    await waitForOrder(page, [a, c, b]);
    // At the bottom "down" is off: focus moved to the same picture's "up".
    await waitForFocus(page, b, 'up');
    await page.keyboard.press('Enter');
    await waitForOrder(page, [a, b, c]);
    const chosen = [c, a, b];
    await item(c).getByRole('button', { name: /^Yukarı taşı: / }).click();
    await item(c).getByRole('button', { name: /^Yukarı taşı: / }).click();
    await waitForOrder(page, chosen);
    await checkAccessibility(page, 'product form');
    await screenshot(page, '64-product-media');

    // Saving: the browser's check first (at the price, focused)…
    await page.getByRole('button', { name: 'Ürünü oluştur' }).click();
    const priceField = page.locator('.field').filter({ has: field(page, 'Fiyat') });
    await waitForText(priceField.locator('.field-error'), 'Kuruş en fazla iki basamak olabilir.');
    assert.equal(await field(page, 'Fiyat').evaluate((el) => el === document.activeElement), true);
    await field(page, 'Fiyat').fill('1.299,90');
    // …then the server's refusal, at the field it names (input.sku).
    await page.getByRole('button', { name: 'Ürünü oluştur' }).click();
    const skuField = page.locator('.field').filter({ has: field(page, 'Stok kodu (SKU)') });
    await waitForText(skuField.locator('.field-error'), 'Bu stok kodu başka bir üründe kullanılıyor.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    await screenshot(page, '65-product-field-error');
    await field(page, 'Stok kodu (SKU)').fill('KUPA-SET-1');
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('SetProductMedia')) await new Promise((r) => setTimeout(r, 500));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Ürünü oluştur' }).click();
    await page.getByRole('button', { name: 'Kaydediliyor…' }).waitFor();
    await waitForPath(page, /^\/dashboard\/products\/\d+$/);
    await page.unroute('**/graphql');
    made.id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await waitForText(page.locator('.flash'), `“${PRODUCT}” oluşturuldu.`);
    await waitForText(heading(page), 'Ürünü düzenle');
    // The slug the server made, the limits and the saved order.
    await page.locator('section.media-picker .picked-list').waitFor();
    assert.equal(await field(page, 'Adres (slug, isteğe bağlı)').inputValue(), 'seramik-kupa-seti');
    await waitForText(page.locator('section.media-picker [data-limit="images"]'), '3 / 5 görsel');
    await waitForOrder(page, chosen);
    // The description's preview: the server's sanitised HTML of the last save.
    await page.locator('details.preview summary').click();
    await waitForText(page.locator('.description-preview strong'), 'El yapımı');
    await field(page, 'Açıklama (Markdown)').fill('**El yapımı** beş kupa.');
    await waitForText(page.locator('.preview-stale'), 'kaydedilmemiş değişiklikler');
    await screenshot(page, '66-product-saved');

    // The API has what the form showed: the pictures in that order, and the video.
    const { product } = await apiOk<{ product: { slug: string; url: string; images: Array<{ id: string }>; video: { id: string } | null; price: { amount: string }; salePrice: { amount: string } | null; categories: Array<{ name: string }>; active: boolean } }>(
      'query($id: ID!) { product(id: $id) { slug url active images { id } video { id } price { amount } salePrice { amount } categories { name } } }',
      { id: made.id },
      token,
    );
    assert.deepEqual(
      product.images.map((m) => m.id),
      chosen,
    );
    assert.ok(product.video, 'the product has no video');
    assert.equal(product.price.amount, '129990');
    assert.equal(product.salePrice?.amount, '99990');
    assert.deepEqual(
      product.categories.map((c) => c.name),
      ['Kupalar'],
    );
    assert.equal(product.active, true);
    Object.assign(made, { slug: product.slug, url: product.url, images: chosen, video: product.video.id });
    assert.equal(new URL(made.url).pathname, `/urun/${made.slug}`);
    console.log(`# product ${made.id}: pictures ${chosen.join(', ')}, video ${made.video}`);

    // The list: the first picture, price on sale, stock, status and the shop's page.
    await openFromNav(page, 'Ürünler', '/dashboard/products/');
    const row = page.locator(`tr[data-product-id="${made.id}"]`);
    await waitForText(row, PRODUCT);
    await waitForText(row, 'KUPA-SET-1');
    await waitForText(row.locator('.price-old'), '1.299,90 ₺');
    await waitForText(row.locator('.price-now'), '999,90 ₺');
    await waitForText(row.locator('.badge-sale'), '%23 indirim');
    await waitForText(row, 'Yayında');
    await row.locator('img.product-thumb').waitFor();
    const store = row.getByRole('link', { name: `Mağazada gör (${PRODUCT}, yeni sekmede açılır)` });
    assert.equal(await store.getAttribute('href'), made.url);
    assert.equal(await store.getAttribute('target'), '_blank');
    // Filters: the hidden "Eski kupa" goes with "published only"; search and category.
    const count = page.locator('.product-count');
    await waitForText(count, '2 üründen 2 tanesi gösteriliyor.');
    await page.getByLabel('Durum').selectOption({ label: 'Yalnızca yayındakiler' });
    await waitForText(count, '1 üründen 1 tanesi gösteriliyor.');
    await page.getByLabel('Durum').selectOption({ label: 'Tümü (gizliler dahil)' });
    await page.getByLabel('Ara (ad, stok kodu, açıklama)').fill('eski');
    await waitForText(count, '1 üründen 1 tanesi gösteriliyor.');
    await waitForText(page.locator('tbody'), 'Eski kupa');
    await page.getByLabel('Ara (ad, stok kodu, açıklama)').fill('');
    await page.getByLabel('Kategori').selectOption({ label: 'Mutfak' });
    await waitForText(count, '1 üründen 1 tanesi gösteriliyor.');
    await waitForText(page.locator('tbody'), PRODUCT);
    await page.getByLabel('Kategori').selectOption({ label: 'Mutfak › Fincanlar' });
    await waitForText(count, 'Bu süzgeçlere uyan ürün yok.');
    await page.getByLabel('Kategori').selectOption({ label: 'Tümü' });
    await page.getByLabel('İndirim').selectOption({ label: 'İndirimde' });
    await waitForText(count, '1 üründen 1 tanesi gösteriliyor.');
    await page.getByLabel('İndirim').selectOption({ label: 'Tümü' });
    await waitForText(count, '2 üründen 2 tanesi gösteriliyor.');
    await checkAccessibility(page, 'products');
    await screenshot(page, '67-products');

    // Deleting asks first, then goes back to the list.
    await page.getByRole('link', { name: 'Eski kupa', exact: true }).click();
    await waitForPath(page, /^\/dashboard\/products\/\d+$/);
    await page.getByRole('button', { name: 'Ürünü sil' }).click();
    const confirm = page.getByRole('dialog', { name: 'Ürün silinsin mi?' });
    await waitForText(confirm, '“Eski kupa” kalıcı olarak silinecek.');
    await confirm.getByRole('button', { name: 'Evet, sil' }).click();
    await waitForPath(page, '/dashboard/products/');
    await waitForText(page.locator('.flash'), '“Eski kupa” silindi.');
    await waitForText(count, '1 üründen 1 tanesi gösteriliyor.');
    assert.deepEqual(problems.list, []);
  });
});

test('catalog: a category that holds products is not deleted, and the page says why', async () => {
  await inBrowser('catalog-category-conflict', async ({ page }) => {
    await signInFromStart(page);
    await openFromNav(page, 'Kategoriler', '/dashboard/categories/');
    await categoryRow(page, 'Kupalar').getByRole('button', { name: 'Sil: Kupalar' }).click();
    const confirm = page.getByRole('dialog', { name: 'Kategori silinsin mi?' });
    await confirm.getByRole('button', { name: 'Evet, sil' }).click();
    await waitForText(confirm.getByRole('alert'), '“Kupalar” kategorisinde hâlâ 1 ürün var. Silmeden önce bu ürünleri başka bir kategoriye taşıyın.');
    await screenshot(page, '68-category-conflict', { fullPage: false });
    await confirm.getByRole('button', { name: 'Vazgeç' }).click();
    await confirm.waitFor({ state: 'hidden' });
    // An empty one goes.
    await categoryRow(page, 'Fincanlar').getByRole('button', { name: 'Sil: Fincanlar' }).click();
    await confirm.getByRole('button', { name: 'Evet, sil' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await waitForText(page.locator('.sr-status'), '“Fincanlar” silindi.');
    assert.equal(await categoryRow(page, 'Fincanlar').count(), 0);
  });
});

test('catalog: the product’s page in the storefront (/urun/<slug>) shows its name and gallery', async () => {
  assert.ok(made.url, 'the product scenario did not run');
  const answer = await fetch(made.url, { redirect: 'manual' });
  await answer.arrayBuffer();
  assert.equal(answer.status, 200, `the storefront answered ${answer.status} for ${new URL(made.url).pathname} (is /urun/<slug> in this binary?)`);
  await inBrowser('catalog-storefront', async ({ page }) => {
    await page.goto(made.url);
    await waitForText(page.getByRole('heading', { level: 1 }), PRODUCT);
    const gallery = page.locator('vitrin-gallery');
    await page.waitForFunction(() => document.querySelector('vitrin-gallery')?.getAttribute('data-state') === 'ready');
    assert.equal(await gallery.getAttribute('product'), made.slug);
    // Three picture thumbnails (in the saved order) and the video's.
    assert.equal(await gallery.locator('button.thumb.image').count(), 3);
    assert.equal(await gallery.locator('button.thumb.video').count(), 1);
    await screenshot(page, '69-storefront-product');
  });
});

test('catalog: the product’s page reads whole with JavaScript off, with the picture and what link previews use', async () => {
  assert.ok(made.url, 'the product scenario did not run');
  await inBrowser(
    'catalog-storefront-no-js',
    async ({ page }) => {
      const response = await page.goto(made.url);
      assert.equal(response?.status(), 200);
      await waitForText(page.getByRole('heading', { level: 1 }), PRODUCT);
      await waitForText(page.locator('.price'), /₺/);
      // The gallery's fallback: the first picture, loaded, and links to the others and the video.
      const picture = page.locator('vitrin-gallery figure.fallback img');
      await picture.waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector('vitrin-gallery figure.fallback img') as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      });
      assert.equal(await page.locator('vitrin-gallery figure.fallback li a').count(), 3, 'two more pictures and the video');
      const og = await page.locator('meta[property="og:image"]').getAttribute('content');
      assert.match(og ?? '', /^http.*\/media\//);
      const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
      assert.equal(ld['@type'], 'Product');
      assert.equal(ld.name, PRODUCT);
      await screenshot(page, '70-storefront-no-js');
    },
    { javaScript: false },
  );
});

test('catalog: on the product’s page the gallery switches, zooms beside the picture, opens the modal and plays the video', async () => {
  assert.ok(made.url, 'the product scenario did not run');
  await inBrowser('catalog-storefront-gallery', async ({ page }) => {
    await page.goto(made.url);
    const gallery = page.locator('vitrin-gallery');
    await ready(gallery);
    const first = await mainFile(gallery);
    await gallery.locator('button.thumb.image').nth(1).click();
    await page.waitForFunction(
      (before) => {
        const img = document.querySelector('vitrin-gallery')?.shadowRoot?.querySelector('.stage img') as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0 && !img.currentSrc.endsWith(before);
      },
      first,
    );
    // Hovering the picture shows the zoom pane beside it (to its right, not over it).
    const stage = gallery.locator('.stage img');
    const box = await stage.boundingBox();
    assert.ok(box, 'the main picture has a box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => {
      const pane = document.querySelector('vitrin-gallery')?.shadowRoot?.querySelector('.pane') as HTMLElement | null;
      return !!pane && getComputedStyle(pane).display !== 'none';
    });
    const zoom = await zoomState(gallery);
    assert.ok(zoom.pane.left >= box.x + box.width - 1, `the pane starts at ${zoom.pane.left}, the picture ends at ${box.x + box.width}`);
    await screenshot(page, '71-storefront-zoom', { fullPage: false });
    // Click: the modal; the arrow keys move through the slides; Esc closes it.
    await stage.click();
    const modal = await modalOpen(page);
    await waitForText(modal.locator('.pswp__counter'), '2 / 4');
    await page.keyboard.press('ArrowRight');
    await waitForText(modal.locator('.pswp__counter'), '3 / 4');
    await page.keyboard.press('ArrowRight');
    await waitForText(modal.locator('.pswp__counter'), '4 / 4');
    const video = modal.locator('video');
    await video.waitFor();
    await video.evaluate((v) => (v as HTMLVideoElement).play());
    await page.waitForFunction(() => {
      const v = document.querySelector('.pswp video') as HTMLVideoElement | null;
      return !!v && !v.paused && v.currentTime > 0.2;
    });
    await page.keyboard.press('Escape');
    await modalClosed(page);
  });
});
