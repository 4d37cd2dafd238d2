/**
 * The hover zoom's geometry, free of the DOM (unit-tested): where the picture sits in
 * its box (object-fit: contain), where the lens goes under the pointer, which part of
 * the large picture the pane beside it shows, and on which side the pane fits. One
 * scale for both axes everywhere: nothing is ever stretched.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

export interface Point {
  x: number;
  y: number;
}

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), max);

/** The rectangle a picture of `image` size fills inside a `box` with object-fit: contain (centred). */
export function containRect(box: Size, image: Size): Rect {
  if (box.width <= 0 || box.height <= 0 || image.width <= 0 || image.height <= 0) return { x: 0, y: 0, width: 0, height: 0 };
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  return { x: (box.width - width) / 2, y: (box.height - height) / 2, width, height };
}

export interface LensView {
  /** The lens over the main picture, in the box's coordinates (px). */
  lens: Rect;
  /** How much larger the pane shows the picture than the box does. */
  scale: number;
  /** The pane's `background-size` (px): the picture at that scale, its own proportions. */
  backgroundSize: Size;
  /** The pane's `background-position` (px, ≤ 0 where the picture is larger than the pane). */
  backgroundPosition: Point;
}

/**
 * The lens and the pane for a pointer at `pointer` (box coordinates) over a picture
 * shown in `content` (see containRect), with a `pane` beside it and the large picture
 * `zoom` (its natural size: the pane shows it pixel for pixel, never enlarged past
 * it nor below the box's own size). The lens is the part of the picture the pane
 * shows, centred on the pointer and kept inside the picture. Null when the pointer is
 * not over the picture (the bands around a letterboxed one) or nothing is shown.
 */
export function lensView(pointer: Point, content: Rect, pane: Size, zoom: Size): LensView | null {
  if (content.width <= 0 || content.height <= 0 || pane.width <= 0 || pane.height <= 0) return null;
  const px = pointer.x - content.x;
  const py = pointer.y - content.y;
  if (px < 0 || py < 0 || px > content.width || py > content.height) return null;
  const scale = Math.max(1, Math.min(zoom.width / content.width, zoom.height / content.height));
  const backgroundSize = { width: content.width * scale, height: content.height * scale };
  const lensWidth = Math.min(content.width, pane.width / scale);
  const lensHeight = Math.min(content.height, pane.height / scale);
  const lx = clamp(px - lensWidth / 2, 0, content.width - lensWidth);
  const ly = clamp(py - lensHeight / 2, 0, content.height - lensHeight);
  // Where the picture is smaller than the pane (a small zoom file), it is centred.
  const bx = backgroundSize.width <= pane.width ? (pane.width - backgroundSize.width) / 2 : -lx * scale || 0;
  const by = backgroundSize.height <= pane.height ? (pane.height - backgroundSize.height) / 2 : -ly * scale || 0;
  return {
    lens: { x: content.x + lx, y: content.y + ly, width: lensWidth, height: lensHeight },
    scale,
    backgroundSize,
    backgroundPosition: { x: bx, y: by },
  };
}

export type PaneSide = 'right' | 'left' | 'inside';

/**
 * Where the pane goes, given the box's place in the window (`box`, viewport px) and
 * the window's width: beside the box on the right when it fits, else on the left,
 * else over the box itself. `x` is relative to the box's left edge.
 */
export function placePane(box: Rect, pane: Size, viewportWidth: number, gap = 16): { side: PaneSide; x: number } {
  if (box.x + box.width + gap + pane.width <= viewportWidth) return { side: 'right', x: box.width + gap };
  if (box.x - gap - pane.width >= 0) return { side: 'left', x: -(pane.width + gap) };
  return { side: 'inside', x: 0 };
}
