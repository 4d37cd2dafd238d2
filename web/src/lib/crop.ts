/**
 * Crop rectangles in original-image pixels. Cropper.js reports fractional numbers on the
 * image it shows; the server takes whole pixels, refuses rectangles that reach outside
 * the image or are more than 1 % off the preset's ratio, and never adjusts them. So the
 * rectangle is rounded, scaled to the original's size, kept inside the image and made
 * to keep the ratio here, before it is sent.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

/** A preset's aspect ratio as whole numbers, e.g. 16:6. */
export interface Aspect {
  width: number;
  height: number;
}

/** The largest relative difference the server accepts between the two ratios. */
export const RATIO_TOLERANCE = 0.01;

export function ratioOf(aspect: Aspect): number {
  return aspect.width / aspect.height;
}

/** Whether `width × height` has the ratio of `aspect` within 1 % (as the server checks). */
export function withinRatio(width: number, height: number, aspect: Aspect): boolean {
  if (!(width > 0 && height > 0)) return false;
  const target = ratioOf(aspect);
  return Math.abs((width / height - target) / target) <= RATIO_TOLERANCE;
}

/** The largest rectangle of the ratio, centred in the image (the server's default crop). */
export function centredRect(aspect: Aspect, image: Size): Rect {
  const { width: w, height: h } = image;
  let width: number;
  let height: number;
  if (w * aspect.height >= h * aspect.width) {
    height = h;
    width = Math.max(1, Math.floor((h * aspect.width) / aspect.height));
  } else {
    width = w;
    height = Math.max(1, Math.floor((w * aspect.height) / aspect.width));
  }
  width = Math.min(width, w);
  height = Math.min(height, h);
  return { x: Math.floor((w - width) / 2), y: Math.floor((h - height) / 2), width, height };
}

/** Scales a rectangle measured on an image of size `from` to one of size `to`. */
export function scaleRect(rect: Rect, from: Size, to: Size): Rect {
  if (from.width === to.width && from.height === to.height) return { ...rect };
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return { x: rect.x * sx, y: rect.y * sy, width: rect.width * sx, height: rect.height * sy };
}

/**
 * Whole-pixel size of the ratio for a wanted width and height, at most `max`: the
 * wanted box shrunk (never grown) to the ratio and rounded. When rounding leaves it
 * more than 1 % off (only tiny rectangles), the nearest height whose rounded width
 * fits is taken: smaller first, then larger.
 */
function sizeWithRatio(wantedWidth: number, wantedHeight: number, aspect: Aspect, max: Size): Size {
  const ratio = ratioOf(aspect);
  let width = Math.min(Math.max(wantedWidth, 1), max.width);
  let height = Math.min(Math.max(wantedHeight, 1), max.height);
  // Shrink the longer side to the ratio.
  if (width / height > ratio) width = height * ratio;
  else height = width / ratio;
  const fits = (h: number) => {
    const w = Math.round(h * ratio);
    return w >= 1 && w <= max.width && h >= 1 && h <= max.height && withinRatio(w, h, aspect) ? { width: w, height: h } : null;
  };
  // Round the width first (the longer side for landscape presets), the height from it.
  const w0 = Math.max(1, Math.min(max.width, Math.round(width)));
  const h0 = Math.max(1, Math.min(max.height, Math.round(w0 / ratio)));
  if (withinRatio(w0, h0, aspect)) return { width: w0, height: h0 };
  const start = Math.max(1, Math.min(max.height, Math.round(height)));
  for (let h = start; h >= 1; h--) {
    const found = fits(h);
    if (found) return found;
  }
  for (let h = start + 1; h <= max.height; h++) {
    const found = fits(h);
    if (found) return found;
  }
  // The image is too thin for the ratio at all: the best there is.
  return { width: w0, height: h0 };
}

/**
 * The rectangle to send: whole pixels of the original, inside it, of the preset's ratio
 * within 1 %. `raw` is what Cropper reports on the displayed image (`getData()`), whose
 * natural size is `natural`; `original` is the media's stored `width`/`height`.
 */
export function fitCropRect(raw: Rect, aspect: Aspect, original: Size, natural: Size = original): Rect {
  const scaled = scaleRect(raw, natural, original);
  const size = sizeWithRatio(scaled.width, scaled.height, aspect, original);
  // Keep the box where it was (its centre), then push it back inside the image.
  const cx = scaled.x + scaled.width / 2;
  const cy = scaled.y + scaled.height / 2;
  const x = clamp(Math.round(cx - size.width / 2), 0, original.width - size.width);
  const y = clamp(Math.round(cy - size.height / 2), 0, original.height - size.height);
  return { x, y, width: size.width, height: size.height };
}

/** Whether the server will accept `rect` for this image and preset. */
export function isValidCrop(rect: Rect, aspect: Aspect, image: Size): boolean {
  const whole = [rect.x, rect.y, rect.width, rect.height].every(Number.isInteger);
  return (
    whole &&
    rect.width > 0 &&
    rect.height > 0 &&
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.x + rect.width <= image.width &&
    rect.y + rect.height <= image.height &&
    withinRatio(rect.width, rect.height, aspect)
  );
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/** The size the server produces for a wanted output size from `rect`: never upscaled. */
export function outputSize(wanted: Size, rect: Size): Size {
  if (rect.width >= wanted.width && rect.height >= wanted.height) return { width: wanted.width, height: wanted.height };
  const scale = Math.min(rect.width / wanted.width, rect.height / wanted.height);
  return {
    width: Math.max(1, Math.round(wanted.width * scale)),
    height: Math.max(1, Math.round(wanted.height * scale)),
  };
}
