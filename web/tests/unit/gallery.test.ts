import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_GALLERY,
  GALLERY_QUERY,
  galleryFromAnswer,
  galleryRequest,
  graphqlUrl,
  mapProduct,
  MAX_SLIDES,
  MAX_SRCSET_CANDIDATES,
  parseGalleryJson,
  parseSrcset,
  readGallery,
  readSrcset,
  safeUrl,
  type ImageSlide,
} from '../../src/widgets/gallery/data';
import { browserTookWebp, cssUrl, fileUrl, mainSources, modalItems, sizesFor, srcsetFor, srcsetUrl, thumbSources } from '../../src/widgets/gallery/images';
import { focusCycle, thumbKeyTarget, videoPointerOwner } from '../../src/widgets/gallery/keys';
import { galleryLang, LABELS } from '../../src/widgets/gallery/labels';
import { containRect, lensView, placePane } from '../../src/widgets/gallery/lens';

const file = (name: string, px: number, webp = true) => ({
  jpeg: `/m/${name}.jpg`,
  ...(webp ? { webp: `/m/${name}.webp` } : {}),
  width: px,
  height: px,
});
const image = (n: number, webp = true): ImageSlide => ({
  kind: 'image',
  alt: `Kupa ${n}`,
  main: file(`p${n}-main`, 1000, webp),
  zoom: file(`p${n}-zoom`, 2000, webp),
  thumb: file(`p${n}-thumb`, 160, webp),
});
const video = { kind: 'video' as const, src: '/m/clip.webm', type: 'video/webm', width: 640, height: 360 };
// The server's srcset of a 1000 px JPEG behind the edge worker: its narrower copies, then the file.
const edge = (key: string, width = 1000, file = `https://site/media/ab/${key}.jpg`) =>
  [320, 480, 640, 800].map((w) => `https://edge.example/img/SIG/${w}/ab/${key}.jpg ${w}w`).join(', ') + `, ${file} ${width}w`;

describe('the JSON in the page', () => {
  it('reads images and videos', () => {
    const json = JSON.stringify({ name: 'Kupa', slides: [image(1), { ...video, poster: '/m/poster.jpg' }, image(2, false)] });
    expect(parseGalleryJson(json)).toEqual({ name: 'Kupa', slides: [image(1), { ...video, poster: '/m/poster.jpg' }, image(2, false)] });
  });

  it('never throws: bad JSON, wrong shapes and nothing are the empty gallery (the placeholder)', () => {
    for (const bad of ['{"name": "Broken", "slides": [', '', '   ', 'null', '42', '"text"', '[]', '{"slides": "no"}', undefined, null]) {
      expect(() => parseGalleryJson(bad)).not.toThrow();
      expect(parseGalleryJson(bad).slides).toEqual([]);
    }
    expect(parseGalleryJson('{"name":"Tepsi","slides":[]}')).toEqual({ name: 'Tepsi', slides: [] });
    expect(readGallery(undefined)).toBe(EMPTY_GALLERY);
  });

  it('drops slides it cannot show, keeps the others', () => {
    const slides = [
      image(1),
      { kind: 'image', alt: 'no main' },
      { kind: 'image', main: { jpeg: '/a.jpg', width: 0, height: 10 } },
      { kind: 'image', main: { jpeg: 'javascript:alert(1)', width: 10, height: 10 } },
      { ...video, type: 'video/x-flv' },
      { ...video, src: 'data:video/webm;base64,AAAA' },
      { ...video, width: -1 },
      { kind: 'audio', src: '/a.mp3' },
      'text',
      null,
      video,
    ];
    expect(readGallery({ name: 'Kupa', slides }).slides).toEqual([image(1), video]);
  });

  it('fills what an image may leave out: zoom and thumb from main, alt from the name; ignores a bad WebP', () => {
    const slide = readGallery({ name: 'Kupa', slides: [{ kind: 'image', main: { jpeg: '/m.jpg', webp: 'javascript:x', width: 1000, height: 1000 } }] }).slides[0];
    const main = { jpeg: '/m.jpg', width: 1000, height: 1000 };
    expect(slide).toEqual({ kind: 'image', alt: 'Kupa', main, zoom: main, thumb: main });
  });

  it('reads each file’s srcset (the JPEG candidates of that size), relative URLs included', () => {
    const main = { ...file('p1-main', 1000), srcset: edge('p1-main', 1000, '/m/p1-main.jpg') };
    const zoom = { ...file('p1-zoom', 2000), srcset: '/m/p1-zoom.jpg 2000w' };
    const thumb = { ...file('p1-thumb', 160, false), srcset: '/m/p1-thumb.jpg 160w' };
    const slide = { kind: 'image', alt: 'Kupa 1', main, zoom, thumb };
    expect(parseGalleryJson(JSON.stringify({ name: 'Kupa', slides: [slide] }))).toEqual({ name: 'Kupa', slides: [slide] });
    // No srcset (an older page) is no srcset, not an empty one.
    const plain = parseGalleryJson(JSON.stringify({ name: 'Kupa', slides: [image(1)] })).slides[0] as ImageSlide;
    expect(plain).toEqual(image(1));
    expect('srcset' in plain.main).toBe(false);
  });

  it('keeps a srcset’s valid candidates only; none valid is no srcset', () => {
    const srcset = [
      'https://edge.example/img/SIG/320/ab/a.jpg 320w',
      'javascript:alert(1) 480w',
      '/m/no-descriptor.jpg',
      '/m/zero.jpg 0w',
      '/m/negative.jpg -640w',
      '/m/density.jpg 2x',
      '/m/fraction.jpg 640.5w',
      '/m/huge.jpg 100001w',
      '/m/two words.jpg 700w',
      '/m/a.jpg 320w',
      '/m/b.jpg 800w',
      '/m/max.jpg 100000w',
    ].join(', ');
    expect(readSrcset(srcset)).toBe('https://edge.example/img/SIG/320/ab/a.jpg 320w, /m/b.jpg 800w, /m/max.jpg 100000w');
    expect(parseSrcset('  /m/a.jpg 320w,\n\t/m/b.jpg   480w  ')).toEqual([
      { url: '/m/a.jpg', width: 320 },
      { url: '/m/b.jpg', width: 480 },
    ]);
    // Commas inside a URL (Cloudinary's) are not separators; only a comma and whitespace is.
    expect(readSrcset('https://res.cloudinary.com/d/image/upload/w_320,h_320/k.jpg 320w')).toBe(
      'https://res.cloudinary.com/d/image/upload/w_320,h_320/k.jpg 320w',
    );
    for (const bad of ['javascript:alert(1) 320w', '/m/a.jpg', '/m/a.jpg 0w', 'data:image/jpeg;base64,AA 320w', '', '   ', ', , ', 42, null, undefined, ['/m/a.jpg 320w'], {}]) {
      expect(readSrcset(bad)).toBeUndefined();
    }
    expect(parseSrcset(Array.from({ length: 40 }, (_, i) => `/m/${i}.jpg ${i + 1}w`).join(', '))).toHaveLength(MAX_SRCSET_CANDIDATES);

    const main = { jpeg: '/m.jpg', width: 1000, height: 1000 };
    const slides = readGallery({
      name: 'Kupa',
      slides: [{ kind: 'image', main: { ...main, srcset: 'javascript:alert(1) 320w, /m/320.jpg, /m.jpg 0w' } }, { kind: 'image', main: { ...main, srcset: 'javascript:x 320w, /m/480.jpg 480w' } }],
    }).slides;
    expect(slides[0]).toEqual({ kind: 'image', alt: 'Kupa', main, zoom: main, thumb: main });
    expect((slides[1] as ImageSlide).main).toEqual({ ...main, srcset: '/m/480.jpg 480w' });
  });

  it('shows at most MAX_SLIDES', () => {
    const many = Array.from({ length: MAX_SLIDES + 5 }, (_, i) => image(i));
    expect(readGallery({ name: 'x', slides: many }).slides).toHaveLength(MAX_SLIDES);
  });

  it('accepts http(s), protocol-relative and relative URLs only', () => {
    expect(safeUrl('https://res.cloudinary.com/demo/image/upload/w_1000,h_1000/kupa.webp')).toBe(
      'https://res.cloudinary.com/demo/image/upload/w_1000,h_1000/kupa.webp',
    );
    expect(safeUrl(' /widgets/p1.jpg ')).toBe('/widgets/p1.jpg');
    expect(safeUrl('//cdn.example/p1.jpg')).toBe('//cdn.example/p1.jpg');
    expect(safeUrl('p1.jpg')).toBe('p1.jpg');
    expect(safeUrl('HTTP://EXAMPLE.COM/a.jpg')).toBe('HTTP://EXAMPLE.COM/a.jpg');
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:image/png;base64,AA', 'blob:x', 'vbscript:x', '', '/a\nb.jpg', 42, null]) {
      expect(safeUrl(bad)).toBeNull();
    }
  });
});

describe('the API (GraphQL)', () => {
  const v = (size: string, px: number, format: string, url = `/m/${size}-${format}.${format === 'WEBP' ? 'webp' : 'jpg'}`, preset = 'product') => ({
    preset,
    size,
    width: px,
    height: px,
    format,
    url,
    srcset: `${url} ${px}w`,
  });

  it('asks the Gallery query for the slug, at the API’s /graphql (the script’s origin by default)', () => {
    expect(galleryRequest('kupa')).toEqual({ query: GALLERY_QUERY, variables: { slug: 'kupa' } });
    expect(GALLERY_QUERY).toBe(
      'query Gallery($slug:String!){product(slug:$slug){name images{alt width height variants{preset size width height format url srcset}} video{url contentType width height}}}',
    );
    const script = 'https://vitrin.example/widgets/gallery.js';
    const page = 'https://shop.example.com.tr/urun/kupa';
    expect(graphqlUrl(null, script, page)).toBe('https://vitrin.example/graphql');
    expect(graphqlUrl('', script, page)).toBe('https://vitrin.example/graphql');
    expect(graphqlUrl('https://api.example', script, page)).toBe('https://api.example/graphql');
    expect(graphqlUrl('https://api.example/', script, page)).toBe('https://api.example/graphql');
    expect(graphqlUrl('/vitrin/', script, page)).toBe('https://shop.example.com.tr/vitrin/graphql');
    expect(graphqlUrl('javascript:alert(1)', script, page)).toBe('https://vitrin.example/graphql');
    expect(graphqlUrl('http://[bad', script, page)).toBe('https://vitrin.example/graphql');
  });

  it('maps the product preset’s variants to slides: JPEG and WebP per size, the video last', () => {
    const data = {
      product: {
        name: 'Kupa',
        images: [
          {
            alt: 'Önden',
            width: 3000,
            height: 3000,
            variants: [
              v('thumb', 160, 'WEBP'),
              v('main', 1000, 'JPEG'),
              v('zoom', 2000, 'WEBP'),
              v('main', 1000, 'WEBP'),
              v('zoom', 2000, 'JPEG'),
              v('thumb', 160, 'JPEG'),
              v('main', 1200, 'JPEG', '/gallery-main.jpg', 'gallery'),
            ],
          },
        ],
        video: { url: '/m/clip.mp4', contentType: 'video/mp4', width: 640, height: 360 },
      },
    };
    expect(mapProduct(data)).toEqual({
      name: 'Kupa',
      slides: [
        {
          kind: 'image',
          alt: 'Önden',
          main: { jpeg: '/m/main-JPEG.jpg', webp: '/m/main-WEBP.webp', width: 1000, height: 1000, srcset: '/m/main-JPEG.jpg 1000w' },
          zoom: { jpeg: '/m/zoom-JPEG.jpg', webp: '/m/zoom-WEBP.webp', width: 2000, height: 2000, srcset: '/m/zoom-JPEG.jpg 2000w' },
          thumb: { jpeg: '/m/thumb-JPEG.jpg', webp: '/m/thumb-WEBP.webp', width: 160, height: 160, srcset: '/m/thumb-JPEG.jpg 160w' },
        },
        { kind: 'video', src: '/m/clip.mp4', type: 'video/mp4', width: 640, height: 360 },
      ],
    });
  });

  it('takes AUTO (Cloudinary’s per-browser format) as the JPEG, with no WebP; falls back to main; skips images without main', () => {
    const auto = 'https://res.cloudinary.com/demo/image/upload/f_auto,w_1000/kupa';
    const data = {
      product: {
        name: 'Kupa',
        images: [
          { alt: null, width: 1, height: 1, variants: [{ ...v('main', 1000, 'AUTO'), url: auto, srcset: `${auto} 1000w`, preset: 'PRODUCT', size: 'MAIN' }, v('zoom', 2000, 'WEBP')] },
          { alt: 'Yalnız zoom', width: 1, height: 1, variants: [v('zoom', 2000, 'JPEG')] },
          { alt: 'Başka preset', width: 1, height: 1, variants: [v('main', 1000, 'JPEG', '/g.jpg', 'gallery')] },
          null,
        ],
        video: null,
      },
    };
    const main = { jpeg: auto, width: 1000, height: 1000, srcset: `${auto} 1000w` };
    // The zoom has only a WebP: no JPEG fallback for it, so it is main's.
    expect(mapProduct(data)).toEqual({ name: 'Kupa', slides: [{ kind: 'image', alt: 'Kupa', main, zoom: main, thumb: main }] });
  });

  it('the Gallery query is valid against the server’s schema (../schema.graphql)', () => {
    const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
    expect(validate(schema, parse(GALLERY_QUERY)).map((e) => e.message)).toEqual([]);
  });

  it('takes the JPEG variant’s srcset (the edge’s copies), never the WebP’s; drops bad candidates; none without one', () => {
    const jpeg = { ...v('main', 1000, 'JPEG', 'https://site/media/ab/abc.jpg'), srcset: edge('abc') };
    const webp = { ...v('main', 1000, 'WEBP', 'https://site/media/ab/abc.webp'), srcset: 'https://site/media/ab/abc.webp 1000w' };
    const zoom = { ...v('zoom', 2000, 'JPEG'), srcset: 'javascript:alert(1) 320w, /m/zoom-JPEG.jpg, /m/zoom-JPEG.jpg 0w' };
    const { srcset: _unused, ...thumb } = v('thumb', 160, 'JPEG');
    const data = { product: { name: 'Kupa', images: [{ alt: 'Önden', width: 3000, height: 3000, variants: [webp, jpeg, zoom, thumb] }], video: null } };
    expect(mapProduct(data)).toEqual({
      name: 'Kupa',
      slides: [
        {
          kind: 'image',
          alt: 'Önden',
          main: { jpeg: 'https://site/media/ab/abc.jpg', webp: 'https://site/media/ab/abc.webp', width: 1000, height: 1000, srcset: edge('abc') },
          zoom: { jpeg: '/m/zoom-JPEG.jpg', width: 2000, height: 2000 },
          thumb: { jpeg: '/m/thumb-JPEG.jpg', width: 160, height: 160 },
        },
      ],
    });
    const slide = galleryFromAnswer({ data }).slides[0] as ImageSlide;
    // The zoom has no WebP, so there is no WebP <source>; the phones get the edge's copies.
    expect(mainSources(slide)).toEqual({ webp: null, jpeg: `${edge('abc')}, /m/zoom-JPEG.jpg 2000w` });
  });

  it('answers null for no product; an error or a bad answer is the placeholder, never a throw', () => {
    expect(mapProduct({ product: null })).toBeNull();
    expect(mapProduct(null)).toBeNull();
    expect(mapProduct({ product: { name: 'Boş', images: [], video: null } })).toEqual({ name: 'Boş', slides: [] });
    expect(galleryFromAnswer({ data: { product: null } })).toBe(EMPTY_GALLERY);
    expect(galleryFromAnswer({ errors: [{ message: 'Unknown field "product" on type "Query".' }] })).toBe(EMPTY_GALLERY);
    expect(galleryFromAnswer({ data: { product: { name: 'K', images: [] } }, errors: [{ message: 'partial' }] })).toBe(EMPTY_GALLERY);
    expect(galleryFromAnswer('<html>')).toBe(EMPTY_GALLERY);
    expect(galleryFromAnswer(null)).toBe(EMPTY_GALLERY);
    expect(galleryFromAnswer({ data: { product: { name: 'K', images: 'x', video: { url: 'javascript:x', contentType: 'video/mp4', width: 1, height: 1 } } } })).toEqual({
      name: 'K',
      slides: [],
    });
  });
});

describe('srcset and sizes', () => {
  it('lists main (1000w) and zoom (2000w) per format, WebP only when every size has one', () => {
    expect(mainSources(image(1))).toEqual({
      webp: '/m/p1-main.webp 1000w, /m/p1-zoom.webp 2000w',
      jpeg: '/m/p1-main.jpg 1000w, /m/p1-zoom.jpg 2000w',
    });
    expect(mainSources(image(1, false))).toEqual({ webp: null, jpeg: '/m/p1-main.jpg 1000w, /m/p1-zoom.jpg 2000w' });
    const half = { ...image(2), zoom: file('p2-zoom', 2000, false) };
    expect(mainSources(half).webp).toBeNull();
    expect(thumbSources(image(3))).toEqual({ webp: '/m/p3-thumb.webp', jpeg: '/m/p3-thumb.jpg' });
    expect(thumbSources(image(3, false)).webp).toBeNull();
  });

  it('sorts by width and names each width once (zoom falling back to main)', () => {
    const main = file('m', 1000);
    expect(srcsetFor([file('z', 2000), main], 'jpeg')).toBe('/m/m.jpg 1000w, /m/z.jpg 2000w');
    expect(srcsetFor([main, main], 'webp')).toBe('/m/m.webp 1000w');
    expect(srcsetFor([file('m', 1000, false)], 'webp')).toBe('');
  });

  it('adds main’s srcset candidates (the edge’s 320w–800w) to the JPEG srcset: each width once, narrowest first', () => {
    const slide: ImageSlide = { ...image(1), main: { ...file('p1-main', 1000), srcset: edge('p1-main', 1000, '/m/p1-main.jpg') } };
    expect(mainSources(slide)).toEqual({
      // The edge makes JPEGs only: the WebP <source> is as before.
      webp: '/m/p1-main.webp 1000w, /m/p1-zoom.webp 2000w',
      jpeg: [320, 480, 640, 800].map((w) => `https://edge.example/img/SIG/${w}/ab/p1-main.jpg ${w}w`).join(', ') + ', /m/p1-main.jpg 1000w, /m/p1-zoom.jpg 2000w',
    });
    // Out of order, with a width twice and one of the files' widths: sorted, the first
    // of a width kept, and the main and zoom files win 1000w and 2000w.
    const mixed: ImageSlide = {
      ...image(2, false),
      main: { ...file('p2-main', 1000, false), srcset: '/e/640.jpg 640w, /e/320.jpg 320w, /e/2000.jpg 2000w, /e/320-again.jpg 320w, /e/1000.jpg 1000w' },
    };
    expect(mainSources(mixed)).toEqual({ webp: null, jpeg: '/e/320.jpg 320w, /e/640.jpg 640w, /m/p2-main.jpg 1000w, /m/p2-zoom.jpg 2000w' });
    // Zoom's and thumb's srcsets are not the main picture's.
    const others: ImageSlide = {
      ...image(3),
      zoom: { ...file('p3-zoom', 2000), srcset: '/e/z800.jpg 800w' },
      thumb: { ...file('p3-thumb', 160), srcset: '/e/t80.jpg 80w' },
    };
    expect(mainSources(others)).toEqual(mainSources(image(3)));
    // Candidate URLs are escaped like the files' (srcsetUrl).
    expect(srcsetFor([file('m', 1000, false)], 'jpeg', [{ url: '/e/a b.jpg,', width: 480 }])).toBe('/e/a%20b.jpg%2C 480w, /m/m.jpg 1000w');
    // The modal and thumbnails are unchanged by a srcset.
    expect(modalItems([slide], 'jpeg', 'Kupa')[0]?.srcset).toBe('/m/p1-main.jpg 1000w, /m/p1-zoom.jpg 2000w');
    expect(thumbSources(slide)).toEqual(thumbSources(image(1)));
  });

  it('keeps Cloudinary’s commas, encodes spaces and trailing commas', () => {
    expect(srcsetUrl('https://res.cloudinary.com/d/image/upload/w_1000,h_1000,c_fill/kupa.jpg')).toBe(
      'https://res.cloudinary.com/d/image/upload/w_1000,h_1000,c_fill/kupa.jpg',
    );
    expect(srcsetUrl('/m/kupa önden.jpg')).toBe('/m/kupa%20önden.jpg');
    expect(srcsetUrl('/m/a.jpg,,')).toBe('/m/a.jpg%2C%2C');
  });

  it('sizes: the page’s attribute, else the width on screen, else a product-page guess', () => {
    expect(sizesFor('(min-width: 900px) 500px, 100vw', 480)).toBe('(min-width: 900px) 500px, 100vw');
    expect(sizesFor(null, 446.4)).toBe('447px');
    expect(sizesFor('  ', 0)).toBe('(min-width: 64em) 40vw, 100vw');
    expect(sizesFor(null, null)).toBe('(min-width: 64em) 40vw, 100vw');
  });

  it('knows whether the browser took the WebP, from the main picture’s currentSrc', () => {
    const base = 'https://shop.example/urun/kupa';
    expect(browserTookWebp('https://shop.example/m/p1-main.webp', image(1), base)).toBe(true);
    expect(browserTookWebp('https://shop.example/m/p1-zoom.webp', image(1), base)).toBe(true);
    expect(browserTookWebp('https://shop.example/m/p1-main.jpg', image(1), base)).toBe(false);
    expect(browserTookWebp('', image(1), base)).toBe(false);
    expect(browserTookWebp('https://shop.example/m/p1-main.jpg', image(1, false), base)).toBe(false);
    expect(fileUrl(image(1).zoom, 'webp')).toBe('/m/p1-zoom.webp');
    expect(fileUrl(image(1, false).zoom, 'webp')).toBe('/m/p1-zoom.jpg');
  });

  it('quotes URLs for CSS url()', () => {
    expect(cssUrl('/m/p1-zoom.webp')).toBe('url("/m/p1-zoom.webp")');
    expect(cssUrl('/m/a"b\\c.jpg')).toBe('url("/m/a\\22 b\\5c c.jpg")');
    expect(cssUrl('/m/a\nb')).toBe('url("/m/a\\a b")');
  });

  it('gives PhotoSwipe the zoom size and srcset per slide, the video as its own type', () => {
    expect(modalItems([image(1), { ...video, poster: '/m/p.jpg' }, image(2, false)], 'webp', 'Kupa')).toEqual([
      {
        src: '/m/p1-zoom.webp',
        srcset: '/m/p1-main.webp 1000w, /m/p1-zoom.webp 2000w',
        msrc: '/m/p1-main.webp',
        width: 2000,
        height: 2000,
        alt: 'Kupa 1',
      },
      { type: 'video', width: 640, height: 360, alt: 'Kupa', videoSrc: '/m/clip.webm', videoType: 'video/webm', poster: '/m/p.jpg' },
      {
        src: '/m/p2-zoom.jpg',
        srcset: '/m/p2-main.jpg 1000w, /m/p2-zoom.jpg 2000w',
        msrc: '/m/p2-main.jpg',
        width: 2000,
        height: 2000,
        alt: 'Kupa 2',
      },
    ]);
    expect(modalItems([image(1)], 'jpeg', 'Kupa')[0]?.src).toBe('/m/p1-zoom.jpg');
  });
});

describe('the hover zoom', () => {
  it('finds the picture in its box (object-fit: contain)', () => {
    expect(containRect({ width: 500, height: 500 }, { width: 1000, height: 1000 })).toEqual({ x: 0, y: 0, width: 500, height: 500 });
    expect(containRect({ width: 500, height: 500 }, { width: 640, height: 360 })).toEqual({ x: 0, y: 109.375, width: 500, height: 281.25 });
    expect(containRect({ width: 400, height: 300 }, { width: 1000, height: 1000 })).toEqual({ x: 50, y: 0, width: 300, height: 300 });
    expect(containRect({ width: 0, height: 300 }, { width: 1000, height: 1000 })).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });

  const content = { x: 0, y: 0, width: 500, height: 500 };
  const pane = { width: 500, height: 500 };
  const zoom = { width: 2000, height: 2000 };

  it('shows the 2000 px picture at its own size, never stretched', () => {
    const view = lensView({ x: 250, y: 250 }, content, pane, zoom)!;
    expect(view.scale).toBe(4);
    expect(view.backgroundSize).toEqual({ width: 2000, height: 2000 });
    // The lens covers what the pane shows: a quarter of the box each way.
    expect(view.lens).toEqual({ x: 187.5, y: 187.5, width: 125, height: 125 });
    expect(view.backgroundPosition).toEqual({ x: -750, y: -750 });
    // A wide picture in a wide box: one scale both ways.
    const wide = lensView({ x: 100, y: 50 }, { x: 0, y: 0, width: 400, height: 200 }, { width: 300, height: 300 }, { width: 2000, height: 1000 })!;
    expect(wide.backgroundSize.width / wide.backgroundSize.height).toBe(2);
  });

  it('follows the pointer: top left, bottom right, and the point under it in the middle of the pane', () => {
    expect(lensView({ x: 1, y: 1 }, content, pane, zoom)!.backgroundPosition).toStrictEqual({ x: 0, y: 0 });
    const br = lensView({ x: 499, y: 499 }, content, pane, zoom)!;
    expect(br.backgroundPosition).toEqual({ x: -1500, y: -1500 });
    expect(br.lens).toEqual({ x: 375, y: 375, width: 125, height: 125 });
    const p = lensView({ x: 150, y: 325 }, content, pane, zoom)!;
    // The pane's centre shows the zoom pixel at the pointer's place (×4).
    expect(-p.backgroundPosition.x + pane.width / 2).toBe(150 * 4);
    expect(-p.backgroundPosition.y + pane.height / 2).toBe(325 * 4);
  });

  it('works in box coordinates when the picture is letterboxed, and not over the bands', () => {
    const letterboxed = containRect({ width: 500, height: 500 }, { width: 1000, height: 500 }); // y 125, height 250
    expect(lensView({ x: 250, y: 50 }, letterboxed, pane, { width: 2000, height: 1000 })).toBeNull();
    const v = lensView({ x: 250, y: 250 }, letterboxed, pane, { width: 2000, height: 1000 })!;
    expect(v.scale).toBe(4);
    expect(v.lens).toEqual({ x: 187.5, y: 187.5, width: 125, height: 125 });
    expect(v.backgroundPosition).toEqual({ x: -750, y: -250 });
  });

  it('never enlarges a small zoom file; centres it when it is smaller than the pane', () => {
    const small = lensView({ x: 100, y: 100 }, content, { width: 600, height: 600 }, { width: 500, height: 500 })!;
    expect(small.scale).toBe(1);
    expect(small.backgroundSize).toEqual({ width: 500, height: 500 });
    expect(small.backgroundPosition).toEqual({ x: 50, y: 50 });
    expect(small.lens).toEqual({ x: 0, y: 0, width: 500, height: 500 });
    expect(lensView({ x: 1, y: 1 }, content, { width: 0, height: 0 }, zoom)).toBeNull();
  });

  it('puts the pane beside the picture: right, else left, else over it', () => {
    const box = { x: 100, y: 200, width: 450, height: 450 };
    expect(placePane(box, box, 1280)).toEqual({ side: 'right', x: 466 });
    expect(placePane({ ...box, x: 700 }, box, 1280)).toEqual({ side: 'left', x: -466 });
    expect(placePane({ ...box, x: 10 }, box, 390)).toEqual({ side: 'inside', x: 0 });
  });
});

describe('keys', () => {
  it('moves between thumbnails with arrows (wrapping), Home and End', () => {
    expect(thumbKeyTarget('ArrowRight', 0, 6)).toBe(1);
    expect(thumbKeyTarget('ArrowRight', 5, 6)).toBe(0);
    expect(thumbKeyTarget('ArrowLeft', 0, 6)).toBe(5);
    expect(thumbKeyTarget('ArrowDown', 2, 6)).toBe(3);
    expect(thumbKeyTarget('ArrowUp', 2, 6)).toBe(1);
    expect(thumbKeyTarget('Home', 4, 6)).toBe(0);
    expect(thumbKeyTarget('End', 1, 6)).toBe(5);
    expect(thumbKeyTarget('ArrowRight', 0, 6, true)).toBe(5);
    expect(thumbKeyTarget('ArrowLeft', 0, 6, true)).toBe(1);
    // Enter and Space are the buttons' own; other keys are not the strip's.
    expect(thumbKeyTarget('Enter', 1, 6)).toBeNull();
    expect(thumbKeyTarget(' ', 1, 6)).toBeNull();
    expect(thumbKeyTarget('a', 1, 6)).toBeNull();
    expect(thumbKeyTarget('ArrowRight', 0, 0)).toBeNull();
    expect(thumbKeyTarget('ArrowRight', -1, 3)).toBe(1);
  });

  it('keeps Tab inside the modal', () => {
    expect(focusCycle(-1, 4, false)).toBe(0);
    expect(focusCycle(-1, 4, true)).toBe(3);
    expect(focusCycle(3, 4, false)).toBe(0);
    expect(focusCycle(0, 4, true)).toBe(3);
    expect(focusCycle(1, 4, false)).toBe(2);
    expect(focusCycle(0, 0, false)).toBe(-1);
  });

  it('gives the video’s controls to a mouse, and to a finger near the bottom', () => {
    expect(videoPointerOwner('mouse', 10, 360)).toBe('video');
    expect(videoPointerOwner('touch', 100, 360)).toBe('gallery');
    expect(videoPointerOwner('touch', 300, 360)).toBe('video');
    expect(videoPointerOwner('pen', 200, 200)).toBe('video');
    expect(videoPointerOwner('touch', 100, 200)).toBe('gallery');
  });
});

describe('texts', () => {
  it('Turkish by default, English for en', () => {
    expect(galleryLang('en')).toBe('en');
    expect(galleryLang('en-GB')).toBe('en');
    expect(galleryLang('tr')).toBe('tr');
    expect(galleryLang('de')).toBe('tr');
    expect(galleryLang(null)).toBe('tr');
    expect(galleryLang(null, 'en-US')).toBe('en');
    expect(galleryLang('tr', 'en')).toBe('tr');
  });

  it('names every control', () => {
    const tr = LABELS.tr;
    const en = LABELS.en;
    expect(tr.image(2, 5)).toBe('Görsel 2 / 5');
    expect(en.image(2, 5)).toBe('Image 2 of 5');
    expect(tr.playVideo(6, 6)).toBe('Videoyu oynat (6 / 6)');
    expect(en.playVideo(6, 6)).toBe('Play video (6 of 6)');
    expect(tr.enlarge).toBe('Büyüt');
    expect(tr.enlargeImage('Kupa, önden')).toBe('Büyüt: Kupa, önden');
    expect(en.enlargeImage('')).toBe('Enlarge');
    expect(tr.noImage).toBe('Görsel yok');
    expect(en.noImage).toBe('No image');
    expect(tr.region('Kupa')).toBe('Ürün görselleri: Kupa');
    expect(tr.shown(3, 6, 'Kupa, üstten', false)).toBe('Görsel 3 / 6: Kupa, üstten');
    expect(en.shown(6, 6, '', true)).toBe('Video 6 of 6');
    expect(tr.dialog('Kupa')).toBe('Görseller: Kupa');
    expect([tr.close, tr.previous, tr.next, tr.zoom]).toEqual(['Kapat', 'Önceki', 'Sonraki', 'Yakınlaştır']);
    expect([en.close, en.previous, en.next, en.zoom]).toEqual(['Close', 'Previous', 'Next', 'Zoom']);
  });
});
