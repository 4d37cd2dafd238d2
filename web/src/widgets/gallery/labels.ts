/** The gallery's texts: Turkish by default, English with `lang="en"` (unit-tested). */

export type GalleryLang = 'tr' | 'en';

/** English for `lang="en"` (or en-GB, en-US…), Turkish for anything else or nothing. */
export function galleryLang(own: string | null | undefined, inherited?: string | null): GalleryLang {
  const value = (own && own.trim() !== '' ? own : inherited) ?? '';
  return /^en\b/i.test(value.trim()) ? 'en' : 'tr';
}

export interface GalleryLabels {
  /** The whole gallery (a region), e.g. "Ürün görselleri: Kupa". */
  region(name: string): string;
  /** The thumbnail strip. */
  thumbnails: string;
  /** A picture's thumbnail: "Görsel 2 / 5". */
  image(position: number, total: number): string;
  /** The video's thumbnail: "Videoyu oynat (6 / 6)". */
  playVideo(position: number, total: number): string;
  /** The main picture's button that opens the modal, with the picture's text. */
  enlarge: string;
  enlargeImage(alt: string): string;
  /** The video element. */
  video(name: string): string;
  /** What the placeholder says. */
  noImage: string;
  /** Announced when the shown slide changes: "Görsel 2 / 5: Kupa, yandan". */
  shown(position: number, total: number, alt: string, isVideo: boolean): string;
  // PhotoSwipe's buttons and messages.
  close: string;
  zoom: string;
  previous: string;
  next: string;
  loadError: string;
  dialog(name: string): string;
}

const tr: GalleryLabels = {
  region: (name) => (name ? `Ürün görselleri: ${name}` : 'Ürün görselleri'),
  thumbnails: 'Küçük görseller',
  image: (i, n) => `Görsel ${i} / ${n}`,
  playVideo: (i, n) => `Videoyu oynat (${i} / ${n})`,
  enlarge: 'Büyüt',
  enlargeImage: (alt) => (alt ? `Büyüt: ${alt}` : 'Büyüt'),
  video: (name) => (name ? `Ürün videosu: ${name}` : 'Ürün videosu'),
  noImage: 'Görsel yok',
  shown: (i, n, alt, isVideo) => `${isVideo ? `Video ${i} / ${n}` : `Görsel ${i} / ${n}`}${alt ? `: ${alt}` : ''}`,
  close: 'Kapat',
  zoom: 'Yakınlaştır',
  previous: 'Önceki',
  next: 'Sonraki',
  loadError: 'Görsel yüklenemedi.',
  dialog: (name) => (name ? `Görseller: ${name}` : 'Görseller'),
};

const en: GalleryLabels = {
  region: (name) => (name ? `Product images: ${name}` : 'Product images'),
  thumbnails: 'Thumbnails',
  image: (i, n) => `Image ${i} of ${n}`,
  playVideo: (i, n) => `Play video (${i} of ${n})`,
  enlarge: 'Enlarge',
  enlargeImage: (alt) => (alt ? `Enlarge: ${alt}` : 'Enlarge'),
  video: (name) => (name ? `Product video: ${name}` : 'Product video'),
  noImage: 'No image',
  shown: (i, n, alt, isVideo) => `${isVideo ? `Video ${i} of ${n}` : `Image ${i} of ${n}`}${alt ? `: ${alt}` : ''}`,
  close: 'Close',
  zoom: 'Zoom',
  previous: 'Previous',
  next: 'Next',
  loadError: 'The image could not be loaded.',
  dialog: (name) => (name ? `Images: ${name}` : 'Images'),
};

export const LABELS: Record<GalleryLang, GalleryLabels> = { tr, en };
