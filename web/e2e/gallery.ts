/**
 * The `<vitrin-gallery>` product gallery on its demo page (/widgets/gallery-demo.html),
 * served by the binary under the strict CSP: thumbnails switch the main picture (mouse
 * and keyboard), hovering shows the lens and the 2000 px picture beside it at the
 * pointer's place, a click opens PhotoSwipe (arrow keys, Esc, focus back on the
 * picture) whose video plays; one picture, video only, no picture and broken JSON;
 * the data asked from the API when the page has none; no hover zoom on a touch screen.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { checkAccessibility, screenshot, waitForText } from './browser';
import { env, inBrowser } from './harness';

const DEMO = '/widgets/gallery-demo.html';
const MEDIA = '/widgets/gallery-demo/';

/** What the server answers for a file of the demo (its Content-Type, or null when it does not serve it). */
async function servedType(file: string): Promise<string | null> {
  const response = await fetch(`${env.server.origin}${MEDIA}${file}`, { headers: { range: 'bytes=0-15' } });
  await response.arrayBuffer();
  return response.ok ? (response.headers.get('content-type') ?? '') : null;
}

export async function ready(gallery: Locator): Promise<void> {
  await gallery.waitFor({ state: 'attached' });
  const handle = await gallery.elementHandle();
  await gallery.page().waitForFunction((el) => el?.getAttribute('data-state') === 'ready' || el?.getAttribute('data-state') === 'empty', handle);
}

/** The file the main picture shows (once loaded): its name, e.g. "p3-main.webp". */
export async function mainFile(gallery: Locator): Promise<string> {
  const img = gallery.locator('.stage img');
  await img.waitFor();
  const handle = await img.elementHandle();
  await gallery.page().waitForFunction((el) => {
    const image = el as HTMLImageElement | null;
    return !!image && image.complete && image.naturalWidth > 0;
  }, handle);
  const src = await img.evaluate((el) => (el as HTMLImageElement).currentSrc);
  return src.slice(src.lastIndexOf('/') + 1);
}

async function waitForMain(gallery: Locator, expected: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  let last = '';
  for (;;) {
    last = await mainFile(gallery);
    if (expected.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`the main picture is ${last}, expected ${expected}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The element focused inside the gallery's shadow root: its class and data-index. */
async function focusedIn(gallery: Locator): Promise<{ cls: string; index: string | null; outline: string } | null> {
  return gallery.evaluate((host) => {
    const el = host.shadowRoot?.activeElement as HTMLElement | null | undefined;
    if (!el) return null;
    const s = getComputedStyle(el);
    return { cls: el.className, index: el.getAttribute('data-index'), outline: `${s.outlineStyle} ${s.outlineWidth}` };
  });
}

async function currentThumb(gallery: Locator): Promise<number[]> {
  return gallery.locator('.thumb').evaluateAll((buttons) =>
    buttons.flatMap((b, i) => (b.getAttribute('aria-current') === 'true' ? [i] : [])),
  );
}

interface Zoom {
  visible: boolean;
  pane: { left: number; top: number; width: number; height: number; innerWidth: number; innerHeight: number };
  lens: { left: number; top: number; width: number; height: number };
  lensVisible: boolean;
  position: [number, number];
  size: [number, number];
  image: string;
}

export async function zoomState(gallery: Locator): Promise<Zoom> {
  return gallery.evaluate((host) => {
    const root = host.shadowRoot!;
    const pane = root.querySelector('.pane') as HTMLElement;
    const lens = root.querySelector('.lens') as HTMLElement;
    const s = getComputedStyle(pane);
    const p = pane.getBoundingClientRect();
    const l = lens.getBoundingClientRect();
    return {
      visible: s.display !== 'none',
      pane: { left: p.left, top: p.top, width: p.width, height: p.height, innerWidth: pane.clientWidth, innerHeight: pane.clientHeight },
      lens: { left: l.left, top: l.top, width: l.width, height: l.height },
      lensVisible: getComputedStyle(lens).display !== 'none',
      // (No named helpers in here: tsx would wrap them in one the page does not have.)
      // The first layer (the zoom file; the main file under it has the same size and place).
      position: s.backgroundPosition.split(',')[0]!.trim().split(' ').map(parseFloat) as [number, number],
      size: s.backgroundSize.split(',')[0]!.trim().split(' ').map(parseFloat) as [number, number],
      image: s.backgroundImage,
    };
  });
}

const near = (actual: number, expected: number, what: string, tolerance = 1.5) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ≈ ${expected}`);

/** PhotoSwipe's dialog (in document.body), once its opening transition is over. */
export async function modalOpen(page: Page): Promise<Locator> {
  const dialog = page.locator('.pswp');
  await dialog.waitFor();
  await page.waitForFunction(() => document.querySelector('.pswp')?.classList.contains('pswp--ui-visible'));
  await page.waitForTimeout(400);
  return dialog;
}

export async function modalClosed(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.pswp'));
}

test('gallery: thumbnails switch the picture, hover zooms beside it, the modal opens with its video; strict CSP', async () => {
  const webp = await servedType('p1-main.webp');
  const webm = await servedType('clip.webm');
  await inBrowser('gallery-demo', async ({ page }) => {
    const response = await page.goto(DEMO);
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
    // The binary serves the demo's media with their types (tower-http's ServeDir).
    assert.match(webp ?? 'not served', /^image\/webp/, 'the server does not serve .webp under /widgets/');
    assert.match(webm ?? 'not served', /^video\/webm/, 'the server does not serve .webm under /widgets/');

    const kupa = page.locator('#kupa vitrin-gallery');
    await ready(kupa);
    await page.getByRole('group', { name: 'Ürün görselleri: Seramik kupa seti' }).waitFor();

    // The main picture: WebP from <picture>, in a square box (nothing moves, nothing stretched).
    assert.equal(await mainFile(kupa), 'p1-main.webp');
    const picture = await kupa.locator('.stage img').evaluate((img) => {
      const el = img as HTMLImageElement;
      const s = getComputedStyle(el);
      const stage = el.closest('.stage')!.getBoundingClientRect();
      return {
        srcset: el.srcset,
        sizes: el.sizes,
        source: el.parentElement?.querySelector('source')?.getAttribute('srcset') ?? '',
        fit: s.objectFit,
        width: el.getAttribute('width'),
        height: el.getAttribute('height'),
        stage: [stage.width, stage.height],
      };
    });
    assert.equal(picture.fit, 'contain');
    assert.equal(picture.srcset, '/widgets/gallery-demo/p1-main.jpg 1000w, /widgets/gallery-demo/p1-zoom.jpg 2000w');
    assert.equal(picture.source, '/widgets/gallery-demo/p1-main.webp 1000w, /widgets/gallery-demo/p1-zoom.webp 2000w');
    assert.match(picture.sizes, /^\d+px$/);
    assert.deepEqual([picture.width, picture.height], ['1000', '1000']);
    near(picture.stage[0]!, picture.stage[1]!, 'the box is square');

    // Thumbnails: five pictures and the video, the first one current.
    const thumbs = kupa.locator('.thumb');
    assert.deepEqual(
      await thumbs.evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))),
      ['Görsel 1 / 6', 'Görsel 2 / 6', 'Görsel 3 / 6', 'Görsel 4 / 6', 'Görsel 5 / 6', 'Videoyu oynat (6 / 6)'],
    );
    assert.deepEqual(await currentThumb(kupa), [0]);
    assert.equal(await thumbs.nth(1).locator('img').evaluate((i) => (i as HTMLImageElement).currentSrc.split('/').pop()), 'p2-thumb.webp');
    assert.equal(await thumbs.nth(5).locator('.play').textContent(), '▶');
    assert.equal(await thumbs.nth(5).locator('img').getAttribute('src'), '/widgets/gallery-demo/poster.jpg');
    await checkAccessibility(page, 'gallery demo');
    await screenshot(page, '50-gallery-demo');

    // A click switches the picture.
    await page.getByRole('button', { name: 'Görsel 3 / 6' }).click();
    await waitForMain(kupa, /^p3-main\.webp$/);
    assert.deepEqual(await currentThumb(kupa), [2]);
    await waitForText(kupa.locator('[aria-live="polite"]'), 'Görsel 3 / 6: Seramik kupa seti, üstten');
    assert.equal(await page.getByRole('button', { name: /^Büyüt: / }).first().getAttribute('aria-label'), 'Büyüt: Seramik kupa seti, üstten');

    // The keyboard: arrows move the focus (wrapping), Home/End, Enter and Space select.
    let focus = await focusedIn(kupa);
    assert.equal(focus?.index, '2');
    await page.keyboard.press('ArrowRight');
    focus = await focusedIn(kupa);
    assert.equal(focus?.index, '3');
    assert.equal(focus?.outline, 'solid 3px', 'the focused thumbnail shows no focus ring');
    assert.deepEqual(await currentThumb(kupa), [2], 'moving the focus selected');
    await page.keyboard.press('Enter');
    await waitForMain(kupa, /^p4-main\.webp$/);
    await page.keyboard.press('End');
    assert.equal((await focusedIn(kupa))?.index, '5');
    await page.keyboard.press('ArrowRight');
    assert.equal((await focusedIn(kupa))?.index, '0');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focusedIn(kupa))?.index, '5');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    focus = await focusedIn(kupa);
    assert.equal(focus?.index, '1');
    await page.keyboard.press(' ');
    await waitForMain(kupa, /^p2-main\.webp$/);
    assert.deepEqual(await currentThumb(kupa), [1]);
    // Tab leaves the strip from the current thumbnail (one tab stop).
    assert.deepEqual(await thumbs.evaluateAll((b) => b.map((x) => (x as HTMLElement).tabIndex)), [-1, 0, -1, -1, -1, -1]);
    await page.getByRole('button', { name: 'Görsel 1 / 6' }).click();
    await waitForMain(kupa, /^p1-main\.webp$/);

    // Hover: the lens on the picture, the 2000 px picture beside it, where the pointer is.
    const box = (await kupa.locator('.stage .open').boundingBox())!;
    assert.equal((await zoomState(kupa)).visible, false);
    await page.mouse.move(box.x + 3, box.y + 3);
    await page.waitForFunction(() => document.querySelector('#kupa vitrin-gallery')?.shadowRoot?.querySelector('.pane.on'));
    const topLeft = await zoomState(kupa);
    assert.ok(topLeft.lensVisible, 'no lens');
    assert.ok(topLeft.pane.left >= box.x + box.width, `the pane is not beside the picture (${topLeft.pane.left} < ${box.x + box.width})`);
    near(topLeft.pane.top, box.y, 'the pane is level with the picture');
    near(topLeft.pane.width, box.width, 'the pane is as wide as the picture');
    near(topLeft.pane.height, box.height, 'the pane is as high as the picture');
    assert.match(topLeft.image, /p1-zoom\.webp/);
    // The 2000 px picture at its own size and proportions.
    assert.deepEqual(topLeft.size, [2000, 2000]);
    assert.deepEqual(topLeft.position, [0, 0]);
    near(topLeft.lens.left, box.x, 'lens at the left edge');
    near(topLeft.lens.top, box.y, 'lens at the top edge');
    const scale = 2000 / box.width;
    near(topLeft.lens.width, topLeft.pane.innerWidth / scale, 'the lens covers what the pane shows');
    await screenshot(page, '51-gallery-zoom', { fullPage: false });

    await page.mouse.move(box.x + box.width - 3, box.y + box.height - 3);
    await page.waitForTimeout(50);
    const bottomRight = await zoomState(kupa);
    near(bottomRight.position[0], -(2000 - bottomRight.pane.innerWidth), 'x at the right edge');
    near(bottomRight.position[1], -(2000 - bottomRight.pane.innerHeight), 'y at the bottom edge');
    near(bottomRight.lens.left + bottomRight.lens.width, box.x + box.width, 'lens at the right edge');

    // In between, the pane's centre shows the picture's point under the pointer.
    for (const [fx, fy] of [
      [0.5, 0.5],
      [0.3, 0.65],
    ] as const) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.waitForTimeout(50);
      const z = await zoomState(kupa);
      near((-z.position[0] + z.pane.innerWidth / 2) / 2000, fx, `pane centre x for ${fx}`, 0.01);
      near((-z.position[1] + z.pane.innerHeight / 2) / 2000, fy, `pane centre y for ${fy}`, 0.01);
      near(z.lens.left + z.lens.width / 2, box.x + box.width * fx, `lens centre x for ${fx}`);
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await page.waitForFunction(() => !document.querySelector('#kupa vitrin-gallery')?.shadowRoot?.querySelector('.pane.on'));
    assert.equal((await zoomState(kupa)).lensVisible, false);

    // A click opens the modal (PhotoSwipe, styled by a constructed stylesheet on the document).
    await kupa.locator('.stage .open').click();
    const dialog = await modalOpen(page);
    assert.equal(await dialog.getAttribute('role'), 'dialog');
    assert.equal(await dialog.getAttribute('aria-label'), 'Görseller: Seramik kupa seti');
    assert.equal(await dialog.evaluate((d) => getComputedStyle(d).position), 'fixed');
    await waitForText(page.locator('.pswp__counter'), '1 / 6');
    assert.equal(await zoomState(kupa).then((z) => z.visible), false, 'the zoom pane stayed on');
    const activeImage = () =>
      page.locator('.pswp__item[aria-hidden="false"] img.pswp__img:not(.pswp__img--placeholder)').evaluate((i) => (i as HTMLImageElement).currentSrc.split('/').pop());
    assert.match((await activeImage()) ?? '', /^p1-(main|zoom)\.webp$/);
    assert.equal(await page.getByRole('button', { name: 'Kapat' }).count(), 1);
    await screenshot(page, '52-gallery-modal', { fullPage: false });
    // PhotoSwipe's zoom (its button; a double tap or pinch on a touch screen).
    const zoomed = () => page.evaluate(() => !!document.querySelector('.pswp')?.classList.contains('pswp--zoomed-in'));
    await page.getByRole('button', { name: 'Yakınlaştır' }).click();
    await page.waitForFunction(() => document.querySelector('.pswp')?.classList.contains('pswp--zoomed-in'));
    await page.getByRole('button', { name: 'Yakınlaştır' }).click();
    await page.waitForFunction(() => !document.querySelector('.pswp')?.classList.contains('pswp--zoomed-in'));
    assert.equal(await zoomed(), false);
    await page.keyboard.press('ArrowRight');
    await waitForText(page.locator('.pswp__counter'), '2 / 6');
    await page.waitForTimeout(400);
    assert.match((await activeImage()) ?? '', /^p2-(main|zoom)\.webp$/);
    // Focus stays in the dialog.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('.pswp')), 'the focus left the modal');
    }
    await page.keyboard.press('Escape');
    await modalClosed(page);
    // The focus is back on the main picture, which now shows the slide seen last.
    const back = await focusedIn(kupa);
    assert.equal(back?.cls, 'open');
    await waitForMain(kupa, /^p2-main\.webp$/);
    assert.deepEqual(await currentThumb(kupa), [1]);

    // The video: its thumbnail shows it on the stage with controls and plays it.
    await page.getByRole('button', { name: 'Videoyu oynat (6 / 6)' }).click();
    const stageVideo = kupa.locator('.stage video');
    await stageVideo.waitFor();
    assert.equal(await stageVideo.evaluate((v) => (v as HTMLVideoElement).controls), true);
    assert.equal(await stageVideo.getAttribute('poster'), '/widgets/gallery-demo/poster.jpg');
    await page.waitForFunction(() => {
      const v = document.querySelector('#kupa vitrin-gallery')?.shadowRoot?.querySelector('video');
      return !!v && !v.paused && v.currentTime > 0.2;
    });
    // "Büyüt" opens the modal on the video; it plays there too.
    await kupa.getByRole('button', { name: 'Büyüt' }).click();
    await modalOpen(page);
    await waitForText(page.locator('.pswp__counter'), '6 / 6');
    assert.equal(await stageVideo.evaluate((v) => (v as HTMLVideoElement).paused), true, 'the page’s video plays on behind the modal');
    const modalVideo = page.locator('.pswp__item[aria-hidden="false"] video.pswp__vitrin-video');
    await modalVideo.waitFor();
    const attributes = await modalVideo.evaluate((v) => {
      const video = v as HTMLVideoElement;
      const r = video.getBoundingClientRect();
      return { controls: video.controls, playsInline: video.hasAttribute('playsinline'), type: video.querySelector('source')?.type, ratio: r.width / r.height };
    });
    assert.deepEqual({ ...attributes, ratio: Math.round(attributes.ratio * 100) / 100 }, { controls: true, playsInline: true, type: 'video/webm', ratio: 1.78 });
    // A click on the video is the video's (PhotoSwipe does not take it): it plays.
    await modalVideo.click();
    await page.waitForFunction(() => {
      const v = document.querySelector('.pswp video') as HTMLVideoElement | null;
      return !!v && !v.paused && v.currentTime > 0.3;
    });
    await screenshot(page, '53-gallery-modal-video', { fullPage: false });
    // Leaving the slide stops the video.
    await page.keyboard.press('ArrowLeft');
    await waitForText(page.locator('.pswp__counter'), '5 / 6');
    assert.equal(await page.locator('.pswp video').first().evaluate((v) => (v as HTMLVideoElement).paused), true);
    await page.keyboard.press('Escape');
    await modalClosed(page);
    assert.equal((await focusedIn(kupa))?.cls, 'open');
    await waitForMain(kupa, /^p5-main\.webp$/);
  });
});

test('gallery: one picture, video only, no picture and broken data', async () => {
  await inBrowser('gallery-variants', async ({ page }) => {
    await page.goto(DEMO);

    // One picture (English): no thumbnails; zoom and modal work.
    const towel = page.locator('#towel vitrin-gallery');
    await ready(towel);
    await page.getByRole('group', { name: 'Product images: Linen tea towel' }).waitFor();
    assert.equal(await towel.locator('.thumb').count(), 0);
    assert.equal(await mainFile(towel), 'p3-main.webp');
    await towel.scrollIntoViewIfNeeded();
    const box = (await towel.locator('.stage .open').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => document.querySelector('#towel vitrin-gallery')?.shadowRoot?.querySelector('.pane.on'));
    assert.match((await zoomState(towel)).image, /p3-zoom\.webp/);
    await page.getByRole('button', { name: 'Enlarge: Linen tea towel, folded' }).click();
    const dialog = await modalOpen(page);
    assert.equal(await dialog.getAttribute('aria-label'), 'Images: Linen tea towel');
    assert.equal(await page.getByRole('button', { name: 'Close' }).count(), 1);
    await page.getByRole('button', { name: 'Close' }).click();
    await modalClosed(page);
    assert.equal((await focusedIn(towel))?.cls, 'open');
    // From the keyboard: Enter on the picture opens the modal, with the focus in it.
    await page.keyboard.press('Enter');
    await modalOpen(page);
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('.pswp')), 'the focus is not in the modal');
    await page.keyboard.press('Escape');
    await modalClosed(page);
    assert.equal((await focusedIn(towel))?.cls, 'open');

    // Video only: the video on the stage with its controls and proportions, "Büyüt" beside it.
    const sepet = page.locator('#sepet vitrin-gallery');
    await ready(sepet);
    assert.equal(await sepet.locator('.thumb').count(), 0);
    const video = sepet.locator('.stage video');
    const shape = await video.evaluate((v) => {
      const stage = v.closest('.stage')!.getBoundingClientRect();
      return { controls: (v as HTMLVideoElement).controls, poster: (v as HTMLVideoElement).poster, ratio: Math.round((stage.width / stage.height) * 100) / 100 };
    });
    assert.deepEqual(shape, { controls: true, poster: '', ratio: 1.78 });
    await sepet.scrollIntoViewIfNeeded();
    // No zoom over a video.
    const vbox = (await video.boundingBox())!;
    await page.mouse.move(vbox.x + vbox.width / 2, vbox.y + vbox.height / 3);
    await page.waitForTimeout(100);
    assert.equal((await zoomState(sepet)).visible, false);
    await video.evaluate((v) => (v as HTMLVideoElement).play());
    await page.waitForFunction(() => {
      const v = document.querySelector('#sepet vitrin-gallery')?.shadowRoot?.querySelector('video');
      return !!v && !v.paused && v.currentTime > 0.2;
    });
    await sepet.getByRole('button', { name: 'Büyüt' }).click();
    await modalOpen(page);
    assert.equal(await page.locator('.pswp__counter').isVisible(), false, 'a counter for one slide');
    assert.equal(await page.locator('.pswp__button--arrow--next').isVisible(), false, 'arrows for one slide');
    await page.keyboard.press('Escape');
    await modalClosed(page);
    assert.equal((await focusedIn(sepet))?.cls, 'expand');

    // No picture, and broken JSON: the placeholder, in the page's language.
    const tepsi = page.locator('#tepsi vitrin-gallery');
    await ready(tepsi);
    assert.equal(await tepsi.getAttribute('data-state'), 'empty');
    assert.equal((await tepsi.locator('.placeholder').textContent())?.includes('Görsel yok'), true);
    const square = await tepsi.locator('.placeholder').boundingBox();
    near(square!.width, square!.height, 'the placeholder is square');
    const broken = page.locator('#broken vitrin-gallery');
    await ready(broken);
    assert.equal(await broken.getAttribute('data-state'), 'empty');
    assert.equal((await broken.locator('.placeholder').textContent())?.includes('No image'), true);
    await checkAccessibility(page, 'gallery variants');
    await screenshot(page, '54-gallery-variants');
  });
});

/** A `product` answer as the server will give it (variants of the "product" preset). */
function productAnswer() {
  const variant = (n: number, size: string, px: number, format: string, ext: string) => ({
    preset: 'product',
    size,
    width: px,
    height: px,
    format,
    url: `${MEDIA}p${n}-${size}.${ext}`,
  });
  const image = (n: number) => ({
    alt: `API ürünü ${n}`,
    width: 3000,
    height: 3000,
    variants: [
      variant(n, 'main', 1000, 'JPEG', 'jpg'),
      variant(n, 'main', 1000, 'WEBP', 'webp'),
      variant(n, 'zoom', 2000, 'JPEG', 'jpg'),
      variant(n, 'zoom', 2000, 'WEBP', 'webp'),
      variant(n, 'thumb', 160, 'JPEG', 'jpg'),
      variant(n, 'thumb', 160, 'WEBP', 'webp'),
      { ...variant(n, 'main', 1200, 'JPEG', 'jpg'), preset: 'gallery' },
    ],
  });
  return {
    data: {
      product: {
        name: 'API ürünü',
        images: [image(4), image(2)],
        video: { url: `${MEDIA}clip.webm`, contentType: 'video/webm', width: 640, height: 360 },
      },
    },
  };
}

test('gallery: the data from the API when the page has none; no hover zoom on a touch screen', async () => {
  await inBrowser(
    'gallery-api-touch',
    async ({ page, problems }) => {
      const asked: Array<{ query: string; variables: { slug: string } }> = [];
      await page.route('**/graphql', async (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}') as { query: string; variables: { slug: string } };
        asked.push(body);
        const answer = body.variables.slug === 'api-urun' ? productAnswer() : { data: { product: null } };
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) });
      });
      await page.goto(DEMO);
      for (const [product, lang] of [
        ['yok-boyle-urun', 'en'],
        ['api-urun', 'tr'],
      ]) {
        await page.evaluate(
          ([p, l]) => {
            const el = document.createElement('vitrin-gallery');
            el.setAttribute('product', p!);
            el.setAttribute('lang', l!);
            el.id = `api-${p}`;
            document.querySelector('main')!.prepend(el);
          },
          [product, lang],
        );
      }
      const fromApi = page.locator('#api-api-urun');
      await ready(fromApi);
      assert.equal(asked.length, 2);
      assert.match(asked[0]!.query, /^query Gallery\(\$slug:String!\)\{product\(slug:\$slug\)/);
      assert.deepEqual(asked.map((a) => a.variables.slug).sort(), ['api-urun', 'yok-boyle-urun']);
      assert.deepEqual(
        await fromApi.locator('.thumb').evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))),
        ['Görsel 1 / 3', 'Görsel 2 / 3', 'Videoyu oynat (3 / 3)'],
      );
      assert.equal(await mainFile(fromApi), 'p4-main.webp');
      const missing = page.locator('#api-yok-boyle-urun');
      await ready(missing);
      assert.equal(await missing.getAttribute('data-state'), 'empty');
      assert.match((await missing.locator('.placeholder').textContent()) ?? '', /No image/);

      // The real server: it has no such product (or no `product` field yet): the placeholder.
      await page.unroute('**/graphql');
      problems.expected.push(/Failed to load resource: the server responded with a status of 400/);
      await page.evaluate(() => {
        const el = document.createElement('vitrin-gallery');
        el.setAttribute('product', 'no-such-product');
        el.id = 'api-real';
        document.querySelector('main')!.prepend(el);
      });
      const real = page.locator('#api-real');
      await ready(real);
      assert.equal(await real.getAttribute('data-state'), 'empty');
      assert.match((await real.locator('.placeholder').textContent()) ?? '', /Görsel yok/);

      // A touch screen: no lens or pane; a tap opens the modal.
      assert.equal(await page.evaluate(() => matchMedia('(hover: hover) and (pointer: fine)').matches), false);
      const open = fromApi.locator('.stage .open');
      await open.scrollIntoViewIfNeeded();
      await open.tap();
      await modalOpen(page);
      assert.equal((await zoomState(fromApi)).visible, false, 'a touch showed the zoom pane');
      assert.equal((await zoomState(fromApi)).lensVisible, false);
      await waitForText(page.locator('.pswp__counter'), '1 / 3');
      await screenshot(page, '55-gallery-touch-modal', { fullPage: false });
      // A double tap zooms in (PhotoSwipe's own gesture), another one out.
      const picture = page.locator('.pswp__item[aria-hidden="false"] img.pswp__img:not(.pswp__img--placeholder)');
      const spot = (await picture.boundingBox())!;
      const at = { x: spot.x + spot.width / 2, y: spot.y + spot.height / 2 };
      await page.touchscreen.tap(at.x, at.y);
      await page.touchscreen.tap(at.x, at.y);
      await page.waitForFunction(() => document.querySelector('.pswp')?.classList.contains('pswp--zoomed-in'));
      await page.waitForTimeout(500);
      await page.touchscreen.tap(at.x, at.y);
      await page.touchscreen.tap(at.x, at.y);
      await page.waitForFunction(() => !document.querySelector('.pswp')?.classList.contains('pswp--zoomed-in'));
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Kapat' }).tap();
      await modalClosed(page);
    },
    { mobile: true },
  );
});
