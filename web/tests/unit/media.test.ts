import { describe, expect, it } from 'vitest';
import { formatDimensions, formatDuration, groupVariants, presetForSection, thumbnailUrl } from '../../src/lib/media';

const presets = [
  { name: 'gallery', section: 'GALLERY' },
  { name: 'product', section: 'PRODUCT' },
  { name: 'carousel', section: 'CAROUSEL' },
];

const v = (preset: string, size: string, width: number, format: string) => ({ preset, size, width, height: width, format, url: `/${preset}-${size}-${width}.${format}` });

describe('presetForSection', () => {
  it('opens the section’s preset; OTHER has none', () => {
    expect(presetForSection(presets, 'PRODUCT')?.name).toBe('product');
    expect(presetForSection(presets, 'OTHER')).toBeNull();
    expect(presetForSection(presets, null)).toBeNull();
  });
});

describe('thumbnailUrl', () => {
  it('uses a variant when there is one, else the original', () => {
    expect(thumbnailUrl({ url: '/original.jpg', variants: [] })).toBe('/original.jpg');
    const variants = [v('product', 'zoom', 2000, 'JPEG'), v('product', 'main', 1000, 'WEBP'), v('product', 'main', 1000, 'JPEG'), v('product', 'thumb', 160, 'WEBP')];
    expect(thumbnailUrl({ url: '/o.jpg', variants })).toBe('/product-main-1000.WEBP');
    expect(thumbnailUrl({ url: '/o.jpg', variants }, 100)).toBe('/product-thumb-160.WEBP');
    expect(thumbnailUrl({ url: '/o.jpg', variants: [v('gallery', 'main', 200, 'JPEG')] })).toBe('/gallery-main-200.JPEG');
  });
});

describe('formatting', () => {
  it('writes durations as minutes:seconds', () => {
    expect(formatDuration(3)).toBe('0:03');
    expect(formatDuration(62.4)).toBe('1:02');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('');
  });

  it('writes dimensions with the language’s grouping', () => {
    expect(formatDimensions(3000, 2000, 'tr')).toBe('3.000 × 2.000');
    expect(formatDimensions(3000, 2000, 'en')).toBe('3,000 × 2,000');
  });

  it('groups variants by preset and size, formats together', () => {
    const groups = groupVariants([v('product', 'main', 1000, 'JPEG'), v('product', 'main', 1000, 'WEBP'), v('gallery', 'main', 1200, 'JPEG')]);
    expect(groups.map((g) => `${g.preset}/${g.size}:${g.formats.map((f) => f.format).join('+')}`)).toEqual(['gallery/main:JPEG', 'product/main:JPEG+WEBP']);
    expect(groupVariants([v('product', 'main', 1000, 'JPEG'), v('gallery', 'main', 1200, 'JPEG')], 'gallery')).toHaveLength(1);
  });
});
