import { describe, expect, it } from 'vitest';
import { centredRect, fitCropRect, isValidCrop, outputSize, scaleRect, withinRatio } from '../../src/lib/crop';

const gallery = { width: 4, height: 3 };
const product = { width: 1, height: 1 };
const carousel = { width: 16, height: 6 };
const photo = { width: 3000, height: 2000 };

describe('withinRatio', () => {
  it('accepts what the server accepts: within 1 %', () => {
    expect(withinRatio(1200, 900, gallery)).toBe(true);
    expect(withinRatio(1204, 900, gallery)).toBe(true);
    expect(withinRatio(1300, 900, gallery)).toBe(false);
    expect(withinRatio(0, 900, gallery)).toBe(false);
  });
});

describe('fitCropRect', () => {
  it('rounds Cropper’s fractional natural-pixel rectangle to whole pixels', () => {
    const rect = fitCropRect({ x: 10.3, y: 20.6, width: 1200.2, height: 900.1 }, gallery, photo);
    expect(rect).toEqual({ x: 10, y: 21, width: 1200, height: 900 });
    expect(isValidCrop(rect, gallery, photo)).toBe(true);
  });

  it('keeps the rectangle inside the image', () => {
    expect(fitCropRect({ x: -5, y: -0.4, width: 400, height: 300 }, gallery, photo)).toMatchObject({ x: 0, y: 0 });
    const right = fitCropRect({ x: 2700.6, y: 1800, width: 400, height: 300 }, gallery, photo);
    expect(right.x + right.width).toBeLessThanOrEqual(3000);
    expect(right.y + right.height).toBeLessThanOrEqual(2000);
    // Larger than the image: shrunk to fit, ratio kept.
    const huge = fitCropRect({ x: -100, y: -100, width: 5000, height: 3750 }, gallery, photo);
    expect(huge.height).toBeLessThanOrEqual(2000);
    expect(isValidCrop(huge, gallery, photo)).toBe(true);
  });

  it('keeps the preset’s ratio within 1 %, even when Cropper drifts', () => {
    const drifted = fitCropRect({ x: 100, y: 100, width: 1203.7, height: 890.1 }, gallery, photo);
    expect(withinRatio(drifted.width, drifted.height, gallery)).toBe(true);
    const banner = fitCropRect({ x: 0, y: 500, width: 3000.4, height: 1125.3 }, carousel, photo);
    expect(banner).toEqual({ x: 0, y: 500, width: 3000, height: 1125 });
    expect(isValidCrop(banner, carousel, photo)).toBe(true);
  });

  it('finds whole-pixel sizes of awkward ratios for tiny rectangles', () => {
    // 16:6 at a height of 1 is 2.67 wide: no whole width is within 1 %; 3:8 is.
    const tiny = fitCropRect({ x: 5, y: 5, width: 2.7, height: 1 }, carousel, photo);
    expect(isValidCrop(tiny, carousel, photo)).toBe(true);
    for (let h = 1; h <= 40; h++) {
      const r = fitCropRect({ x: 0, y: 0, width: (h * 16) / 6, height: h }, carousel, { width: 50, height: 50 });
      expect(isValidCrop(r, carousel, { width: 50, height: 50 })).toBe(true);
    }
  });

  it('scales from the displayed (natural) image to the stored original', () => {
    // A preview at half size: the rectangle doubles.
    const rect = fitCropRect({ x: 50, y: 25, width: 500, height: 500 }, product, photo, { width: 1500, height: 1000 });
    expect(rect).toEqual({ x: 100, y: 50, width: 1000, height: 1000 });
    expect(scaleRect({ x: 1, y: 2, width: 3, height: 4 }, { width: 10, height: 10 }, { width: 20, height: 30 })).toEqual({ x: 2, y: 6, width: 6, height: 12 });
  });

  it('always gives rectangles the server accepts, for any input', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const aspect of [gallery, product, carousel, { width: 3, height: 1 }]) {
      for (let i = 0; i < 300; i++) {
        const image = { width: 1 + Math.floor(random() * 4000), height: 1 + Math.floor(random() * 4000) };
        const raw = { x: random() * image.width - 50, y: random() * image.height - 50, width: random() * image.width * 1.2 + 0.1, height: random() * image.height * 1.2 + 0.1 };
        const rect = fitCropRect(raw, aspect, image);
        // The only rectangles that cannot exist: an image a few pixels thin, too thin
        // for the ratio in whole pixels at all (16:6 needs at least 8×3).
        if (!isValidCrop(rect, aspect, image)) {
          expect(Math.min(image.width, image.height)).toBeLessThan(8);
        }
      }
    }
  });
});

describe('centredRect', () => {
  it('is the server’s default: the largest centred rectangle of the ratio', () => {
    expect(centredRect(product, photo)).toEqual({ x: 500, y: 0, width: 2000, height: 2000 });
    expect(centredRect(carousel, { width: 3000, height: 4000 })).toEqual({ x: 0, y: 1437, width: 3000, height: 1125 });
    expect(centredRect(gallery, photo)).toEqual({ x: 167, y: 0, width: 2666, height: 2000 });
  });
});

describe('outputSize', () => {
  it('never upscales beyond the crop (as the server)', () => {
    expect(outputSize({ width: 2000, height: 2000 }, { width: 3000, height: 3000 })).toEqual({ width: 2000, height: 2000 });
    expect(outputSize({ width: 2000, height: 2000 }, { width: 1500, height: 1500 })).toEqual({ width: 1500, height: 1500 });
    expect(outputSize({ width: 1200, height: 900 }, { width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
  });
});
