/**
 * The gallery's data, free of the DOM (unit-tested): the slides a product page hands
 * over in `<script type="application/json">`, or that the GraphQL `product` query
 * answers. Whatever arrives is checked field by field; nothing here throws — what
 * cannot be used is left out, and a gallery without usable slides shows the
 * placeholder.
 */

/** One file of a picture in one size: the JPEG always, the WebP when there is one. */
export interface ImageFile {
  jpeg: string;
  webp?: string;
  width: number;
  height: number;
  /**
   * The JPEG candidates of this size as a `srcset` (`url 320w, …, url 1000w`): behind
   * the edge worker its narrower copies, then the file itself. Only valid candidates,
   * each width once; absent when the server sent none (or none was usable).
   */
  srcset?: string;
}

export interface ImageSlide {
  kind: 'image';
  alt: string;
  /** The product size (1000×1000). */
  main: ImageFile;
  /** The zoom size (2000×2000). */
  zoom: ImageFile;
  /** The thumbnail (160×160). */
  thumb: ImageFile;
}

export interface VideoSlide {
  kind: 'video';
  src: string;
  /** video/mp4 or video/webm. */
  type: string;
  width: number;
  height: number;
  poster?: string;
}

export type Slide = ImageSlide | VideoSlide;

export interface GalleryData {
  name: string;
  slides: Slide[];
}

export const EMPTY_GALLERY: GalleryData = Object.freeze({ name: '', slides: [] }) as GalleryData;

/** At most this many slides are shown (a product page never needs more). */
export const MAX_SLIDES = 30;

const VIDEO_TYPES = new Set(['video/mp4', 'video/webm']);

/**
 * A URL the gallery may put into `src`, `srcset`, `poster` or `url()`: http(s),
 * protocol-relative or relative to the page. Other schemes (javascript:, data:…),
 * control characters and empty strings are refused (null).
 */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const url = value.trim();
  if (url === '' || url.length > 2048) return null;
  if (/[\u0000-\u001f\u007f]/.test(url)) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (scheme && !/^https?$/i.test(scheme[1] ?? '')) return null;
  return url;
}

function dimension(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 100_000 ? value : null;
}

function text(value: unknown, max = 500): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One candidate of a `srcset`: a URL and its width descriptor. */
export interface SrcsetCandidate {
  url: string;
  width: number;
}

/** At most this many candidates are read from one `srcset` (the server sends five). */
export const MAX_SRCSET_CANDIDATES = 16;

/**
 * The candidates of a `srcset` the server sent (`url 320w, url 480w, …`), checked: the
 * string is split on commas followed by whitespace; a candidate is kept when it is
 * exactly `<url> <N>w` with a URL `safeUrl` accepts and N a whole number from 1 to
 * 100000, and when no earlier candidate has its width. Anything else yields [].
 */
export function parseSrcset(value: unknown): SrcsetCandidate[] {
  if (typeof value !== 'string') return [];
  const candidates: SrcsetCandidate[] = [];
  const widths = new Set<number>();
  for (const piece of value.trim().split(/,\s+/).slice(0, MAX_SRCSET_CANDIDATES * 2)) {
    const match = /^(\S+)\s+(\d{1,6})w$/.exec(piece.trim());
    if (!match) continue;
    const url = safeUrl(match[1]);
    const width = Number(match[2]);
    if (!url || !Number.isInteger(width) || width < 1 || width > 100_000 || widths.has(width)) continue;
    widths.add(width);
    candidates.push({ url, width });
    if (candidates.length === MAX_SRCSET_CANDIDATES) break;
  }
  return candidates;
}

/** A `srcset` from the server, keeping its valid candidates only; undefined when none is. */
export function readSrcset(value: unknown): string | undefined {
  const candidates = parseSrcset(value);
  return candidates.length > 0 ? candidates.map((c) => `${c.url} ${c.width}w`).join(', ') : undefined;
}

/** The file, with its WebP and `srcset` when they are usable. */
function imageFile(jpeg: string, width: number, height: number, webp: unknown, srcset: unknown): ImageFile {
  const file: ImageFile = { jpeg, width, height };
  const webpUrl = safeUrl(webp);
  if (webpUrl) file.webp = webpUrl;
  const candidates = readSrcset(srcset);
  if (candidates) file.srcset = candidates;
  return file;
}

function readFile(value: unknown): ImageFile | null {
  if (!isObject(value)) return null;
  const jpeg = safeUrl(value.jpeg);
  const width = dimension(value.width);
  const height = dimension(value.height);
  if (!jpeg || !width || !height) return null;
  return imageFile(jpeg, width, height, value.webp, value.srcset);
}

/**
 * One slide of the JSON, or null when it cannot be shown. An image needs its `main`
 * file; a missing `zoom` or `thumb` falls back to `main`; `alt` falls back to the
 * product's name. A video needs a URL, an MP4 or WebM type and its size.
 */
export function readSlide(value: unknown, name = ''): Slide | null {
  if (!isObject(value)) return null;
  if (value.kind === 'image') {
    const main = readFile(value.main);
    if (!main) return null;
    return {
      kind: 'image',
      alt: text(value.alt) || name,
      main,
      zoom: readFile(value.zoom) ?? main,
      thumb: readFile(value.thumb) ?? main,
    };
  }
  if (value.kind === 'video') {
    const src = safeUrl(value.src);
    const type = text(value.type, 100).toLowerCase();
    const width = dimension(value.width);
    const height = dimension(value.height);
    if (!src || !VIDEO_TYPES.has(type) || !width || !height) return null;
    const poster = safeUrl(value.poster);
    return poster ? { kind: 'video', src, type, width, height, poster } : { kind: 'video', src, type, width, height };
  }
  return null;
}

/** The `{ name, slides }` object, checked; unusable slides are dropped. */
export function readGallery(value: unknown): GalleryData {
  if (!isObject(value)) return EMPTY_GALLERY;
  const name = text(value.name, 300);
  const slides = Array.isArray(value.slides)
    ? value.slides
        .slice(0, MAX_SLIDES * 2)
        .map((s) => readSlide(s, name))
        .filter((s): s is Slide => s !== null)
        .slice(0, MAX_SLIDES)
    : [];
  return { name, slides };
}

/** The text of the element's `<script type="application/json">`; bad JSON is an empty gallery. */
export function parseGalleryJson(source: string | null | undefined): GalleryData {
  if (typeof source !== 'string' || source.trim() === '') return EMPTY_GALLERY;
  try {
    return readGallery(JSON.parse(source));
  } catch {
    return EMPTY_GALLERY;
  }
}

// --- GraphQL -------------------------------------------------------------------------

/**
 * The product's pictures and video. A plain string, kept out of the generated
 * documents so that the widget's bundle stays small; a unit test checks it against
 * ../schema.graphql.
 */
export const GALLERY_QUERY =
  'query Gallery($slug:String!){product(slug:$slug){name images{alt width height variants{preset size width height format url srcset}} video{url contentType width height}}}';

/** The request body for one product. */
export function galleryRequest(slug: string): { query: string; variables: { slug: string } } {
  return { query: GALLERY_QUERY, variables: { slug } };
}

/**
 * `${api}/graphql`: `api` (an origin or a base URL, resolved against the page) when it
 * is http(s), else the origin the script was loaded from.
 */
export function graphqlUrl(api: string | null | undefined, scriptUrl: string, pageUrl: string): string {
  let base: URL | null = null;
  if (api && api.trim() !== '') {
    try {
      base = new URL(api.trim(), pageUrl);
    } catch {
      base = null;
    }
    if (base && base.protocol !== 'http:' && base.protocol !== 'https:') base = null;
  }
  if (!base) base = new URL(new URL(scriptUrl).origin);
  base.hash = '';
  base.search = '';
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/graphql`;
  return base.href;
}

/** The preset whose variants the gallery shows. */
export const PRODUCT_PRESET = 'product';

function variantFile(variants: Record<string, unknown>[], size: string): ImageFile | null {
  const ofSize = variants.filter(
    (v) => text(v.preset).toLowerCase() === PRODUCT_PRESET && text(v.size).toLowerCase() === size && safeUrl(v.url),
  );
  const format = (v: Record<string, unknown>) => text(v.format).toUpperCase();
  // A JPEG is the fallback every browser shows; AUTO (the provider picks per browser)
  // stands in for it, with no WebP beside it.
  const jpeg = ofSize.find((v) => format(v) === 'JPEG') ?? ofSize.find((v) => format(v) === 'AUTO');
  if (!jpeg) return null;
  const width = dimension(jpeg.width);
  const height = dimension(jpeg.height);
  if (!width || !height) return null;
  const webp = format(jpeg) === 'AUTO' ? undefined : ofSize.find((v) => format(v) === 'WEBP');
  return imageFile(safeUrl(jpeg.url)!, width, height, webp?.url, jpeg.srcset);
}

/**
 * The `data` of the Gallery query as slides: every image with a `product` main
 * variant (zoom and thumb fall back to main), then the video. Null when there is no
 * such product (null `product`, or an answer that is not one).
 */
export function mapProduct(data: unknown): GalleryData | null {
  if (!isObject(data) || !isObject(data.product)) return null;
  const product = data.product;
  const name = text(product.name, 300);
  const slides: Slide[] = [];
  for (const image of Array.isArray(product.images) ? product.images : []) {
    if (!isObject(image)) continue;
    const variants = (Array.isArray(image.variants) ? image.variants : []).filter(isObject);
    const main = variantFile(variants, 'main');
    if (!main) continue;
    slides.push({
      kind: 'image',
      alt: text(image.alt) || name,
      main,
      zoom: variantFile(variants, 'zoom') ?? main,
      thumb: variantFile(variants, 'thumb') ?? main,
    });
  }
  if (isObject(product.video)) {
    const { url, contentType, width, height } = product.video;
    const video = readSlide({ kind: 'video', src: url, type: contentType, width, height });
    if (video) slides.push(video);
  }
  return { name, slides: slides.slice(0, MAX_SLIDES) };
}

/**
 * A whole GraphQL answer (`{ data, errors }`) as a gallery: any error, or no such
 * product, is the empty gallery (the placeholder).
 */
export function galleryFromAnswer(body: unknown): GalleryData {
  if (!isObject(body)) return EMPTY_GALLERY;
  if (Array.isArray(body.errors) && body.errors.length > 0) return EMPTY_GALLERY;
  return mapProduct(body.data) ?? EMPTY_GALLERY;
}
