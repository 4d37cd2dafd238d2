/**
 * Which files the browser gets (unit-tested): `srcset`/`sizes` of the main picture,
 * the WebP-or-JPEG choice where there is no `<picture>` (the zoom pane's background
 * and PhotoSwipe's `<img>`), and the slides as PhotoSwipe's data.
 */
import { parseSrcset, type ImageFile, type ImageSlide, type Slide } from './data';

export type Format = 'jpeg' | 'webp';

/**
 * A URL as one candidate of a `srcset`: whitespace would end it and trailing commas
 * would be taken for the separator, so those are percent-encoded (commas inside, as
 * in Cloudinary's `w_1000,h_1000`, are fine).
 */
export function srcsetUrl(url: string): string {
  return url.replace(/\s/g, (c) => encodeURIComponent(c)).replace(/,+$/, (commas) => '%2C'.repeat(commas.length));
}

/**
 * `srcset` of a picture in one format from the given sizes (main 1000w, zoom 2000w)
 * and any `extra` candidates of that format, widest last, each width once (the files
 * first, then the extras, win a width); '' when there is nothing in that format.
 */
export function srcsetFor(files: ImageFile[], format: Format, extra: { url: string; width: number }[] = []): string {
  const byWidth = new Map<number, string>();
  for (const file of files) {
    const url = format === 'webp' ? file.webp : file.jpeg;
    if (url && !byWidth.has(file.width)) byWidth.set(file.width, url);
  }
  for (const { url, width } of extra) {
    if (!byWidth.has(width)) byWidth.set(width, url);
  }
  return [...byWidth]
    .sort(([a], [b]) => a - b)
    .map(([width, url]) => `${srcsetUrl(url)} ${width}w`)
    .join(', ');
}

/**
 * The main picture's sources: the WebP `<source>` (when every size has one) and the
 * JPEG `<img>`. The JPEG's also has the main size's own `srcset` candidates (the edge's
 * narrower copies, 320w–800w), each width once, narrowest first; for 1000w and 2000w
 * the main and zoom files win, the same files the zoom pane and the modal load. The
 * edge makes JPEGs only, so the WebP `<source>` keeps the two sizes.
 */
export function mainSources(slide: ImageSlide): { webp: string | null; jpeg: string } {
  const files = [slide.main, slide.zoom];
  const webp = files.every((f) => f.webp) ? srcsetFor(files, 'webp') : null;
  return { webp, jpeg: srcsetFor(files, 'jpeg', parseSrcset(slide.main.srcset)) };
}

/** A thumbnail's sources (one size). */
export function thumbSources(slide: ImageSlide): { webp: string | null; jpeg: string } {
  return { webp: slide.thumb.webp ? srcsetUrl(slide.thumb.webp) : null, jpeg: slide.thumb.jpeg };
}

/**
 * `sizes` of the main picture: the page's own `sizes` attribute when it gives one, else
 * the width the box has on screen (known once it is laid out), else a guess for a
 * product page (the picture takes about 40 % of a wide window, all of a narrow one).
 */
export function sizesFor(attribute: string | null | undefined, measuredWidth: number | null | undefined): string {
  if (attribute && attribute.trim() !== '') return attribute.trim();
  if (measuredWidth && Number.isFinite(measuredWidth) && measuredWidth > 0) return `${Math.ceil(measuredWidth)}px`;
  return '(min-width: 64em) 40vw, 100vw';
}

/**
 * Whether the browser took a WebP for the main picture (then the zoom pane and the
 * modal, which have no `<picture>`, ask for WebP too): the `<img>`'s `currentSrc` is
 * one of the slide's WebP files.
 */
export function browserTookWebp(currentSrc: string | null | undefined, slide: ImageSlide, base?: string): boolean {
  if (!currentSrc) return false;
  const absolute = (u: string) => {
    try {
      return new URL(srcsetUrl(u), base).href;
    } catch {
      return u;
    }
  };
  return [slide.main.webp, slide.zoom.webp].some((u) => u !== undefined && (u === currentSrc || absolute(u) === currentSrc));
}

/** One file's URL in the preferred format (WebP when asked for and there is one). */
export function fileUrl(file: ImageFile, format: Format): string {
  return format === 'webp' && file.webp ? file.webp : file.jpeg;
}

/** Escapes a URL for CSS `url("…")` (set from script, through the CSSOM). */
export function cssUrl(url: string): string {
  return `url("${url.replace(/["\\\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}")`;
}

/** A slide as PhotoSwipe's data: images with their srcset, the video as a custom `video` type. */
export interface ModalItem {
  type?: 'video';
  src?: string;
  srcset?: string;
  msrc?: string;
  width: number;
  height: number;
  alt: string;
  videoSrc?: string;
  videoType?: string;
  poster?: string;
}

export function modalItems(slides: Slide[], format: Format, name: string): ModalItem[] {
  return slides.map((slide) => {
    if (slide.kind === 'video') {
      const item: ModalItem = { type: 'video', width: slide.width, height: slide.height, alt: name, videoSrc: slide.src, videoType: slide.type };
      if (slide.poster) item.poster = slide.poster;
      return item;
    }
    const files = [slide.main, slide.zoom];
    const usable: Format = format === 'webp' && files.every((f) => f.webp) ? 'webp' : 'jpeg';
    return {
      src: fileUrl(slide.zoom, usable),
      srcset: srcsetFor(files, usable),
      // The main size is already in the cache: shown while the large one loads.
      msrc: fileUrl(slide.main, usable),
      width: slide.zoom.width,
      height: slide.zoom.height,
      alt: slide.alt,
    };
  });
}
