/**
 * Input decisions, free of the DOM (unit-tested): moving between thumbnails with the
 * keyboard, and who gets a pointer that goes down on the video in the modal.
 */

/**
 * The thumbnail to move the focus to for `key` from `current` (of `count`), or null
 * when the key is not one of the strip's: ArrowRight/ArrowDown next, ArrowLeft/ArrowUp
 * previous (wrapping around), Home first, End last. In a right-to-left page the
 * horizontal arrows swap. Enter and Space are the buttons' own (they select).
 */
export function thumbKeyTarget(key: string, current: number, count: number, rtl = false): number | null {
  if (count <= 0) return null;
  const from = Math.min(Math.max(current, 0), count - 1);
  const next = (from + 1) % count;
  const previous = (from - 1 + count) % count;
  switch (key) {
    case 'ArrowRight':
      return rtl ? previous : next;
    case 'ArrowLeft':
      return rtl ? next : previous;
    case 'ArrowDown':
      return next;
    case 'ArrowUp':
      return previous;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Height (px) of the bottom band of a video where the browser draws its controls. */
export const VIDEO_CONTROLS_BAND = 64;

/**
 * Who handles a pointer going down on the modal's video: 'video' (its controls; the
 * modal must not start a swipe) or 'gallery' (swipe to the next slide). A mouse
 * always gets the video (clicks play and pause, drags seek; the arrows and keys move
 * between slides); a finger or pen gets the controls in the bottom band (and the
 * bottom quarter of a small video) and swipes anywhere above it.
 */
export function videoPointerOwner(pointerType: string, offsetY: number, videoHeight: number): 'video' | 'gallery' {
  if (pointerType === 'mouse' || pointerType === '') return 'video';
  const band = Math.max(VIDEO_CONTROLS_BAND, videoHeight / 4);
  return offsetY >= videoHeight - band ? 'video' : 'gallery';
}

/**
 * Tab inside the modal: the index (of `count` focusable controls) that gets the focus
 * next, from `current` (-1: none of them, e.g. the dialog itself), wrapping at both ends
 * so that the focus never leaves the dialog. -1 when there is nothing to focus.
 */
export function focusCycle(current: number, count: number, backwards: boolean): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return backwards ? count - 1 : 0;
  return backwards ? (current - 1 + count) % count : (current + 1) % count;
}
