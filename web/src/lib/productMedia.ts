/**
 * A product's pictures (ordered, at most five) and video (at most one) as the form
 * edits them before one `setProductMedia` call (pure: unit-tested).
 */

/** The server's limits (catalog::MAX_IMAGES; one video). */
export const MAX_IMAGES = 5;
export const MAX_VIDEOS = 1;

export interface WithId {
  id: string;
}

/** How many more fit beside `used`, counting `pending` ones on their way (uploads). */
export function slotsLeft(used: number, max: number, pending = 0): number {
  return Math.max(0, max - used - pending);
}

/**
 * `items` added after `list` as far as room allows (ones already there are skipped);
 * `refused` counts those left out for the limit.
 */
export function addWithin<T extends WithId>(list: readonly T[], items: readonly T[], max: number): { list: T[]; refused: number } {
  const next = [...list];
  let refused = 0;
  for (const item of items) {
    if (next.some((m) => m.id === item.id)) continue;
    if (next.length >= max) refused++;
    else next.push(item);
  }
  return { list: next, refused };
}

/** The list with the item at `from` moved to `to` (both clamped into the list). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}

/** The item `id` one place earlier (-1) or later (+1). */
export function moveBy<T extends WithId>(list: readonly T[], id: string, step: -1 | 1): T[] {
  const from = list.findIndex((m) => m.id === id);
  return from < 0 ? [...list] : move(list, from, from + step);
}

/** Replaces an item in place (e.g. after cropping it), matched by id. */
export function replaceItem<T extends WithId>(list: readonly T[], item: T): T[] {
  return list.map((m) => (m.id === item.id ? item : m));
}

/** Whether the pictures (in order) or the video differ from what is saved. */
export function mediaChanged(saved: { images: readonly WithId[]; video: WithId | null }, current: { images: readonly WithId[]; video: WithId | null }): boolean {
  return (
    saved.images.length !== current.images.length ||
    saved.images.some((m, i) => m.id !== current.images[i]?.id) ||
    (saved.video?.id ?? null) !== (current.video?.id ?? null)
  );
}
