import { describe, expect, it } from 'vitest';
import { addWithin, MAX_IMAGES, mediaChanged, move, moveBy, replaceItem, slotsLeft } from '../../src/lib/productMedia';

const items = (...ids: string[]) => ids.map((id) => ({ id }));
const ids = (list: Array<{ id: string }>) => list.map((m) => m.id);

describe('limits', () => {
  it('counts the room left, uploads on their way included', () => {
    expect(slotsLeft(3, MAX_IMAGES)).toBe(2);
    expect(slotsLeft(3, MAX_IMAGES, 1)).toBe(1);
    expect(slotsLeft(5, MAX_IMAGES)).toBe(0);
    expect(slotsLeft(4, MAX_IMAGES, 3)).toBe(0);
    expect(slotsLeft(0, 1)).toBe(1);
    expect(slotsLeft(1, 1)).toBe(0);
  });

  it('adds within the limit, skipping what is there and counting what is left out', () => {
    expect(addWithin(items('1', '2'), items('3'), 5)).toEqual({ list: items('1', '2', '3'), refused: 0 });
    expect(addWithin(items('1', '2', '3', '4'), items('5', '6', '7'), 5)).toEqual({ list: items('1', '2', '3', '4', '5'), refused: 2 });
    expect(addWithin(items('1'), items('1', '2'), 5)).toEqual({ list: items('1', '2'), refused: 0 });
    expect(addWithin(items('1', '2', '3', '4', '5'), items('5'), 5)).toEqual({ list: items('1', '2', '3', '4', '5'), refused: 0 });
  });
});

describe('reordering', () => {
  it('moves an item to another place (drag and drop)', () => {
    expect(ids(move(items('a', 'b', 'c', 'd'), 0, 2))).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(move(items('a', 'b', 'c', 'd'), 3, 0))).toEqual(['d', 'a', 'b', 'c']);
    expect(ids(move(items('a', 'b', 'c'), 1, 1))).toEqual(['a', 'b', 'c']);
    expect(ids(move(items('a', 'b', 'c'), 0, 99))).toEqual(['b', 'c', 'a']);
    expect(ids(move(items('a', 'b', 'c'), 5, 0))).toEqual(['a', 'b', 'c']);
  });

  it('moves one step up or down (the buttons), staying inside the list', () => {
    expect(ids(moveBy(items('a', 'b', 'c'), 'c', -1))).toEqual(['a', 'c', 'b']);
    expect(ids(moveBy(items('a', 'b', 'c'), 'a', 1))).toEqual(['b', 'a', 'c']);
    expect(ids(moveBy(items('a', 'b', 'c'), 'a', -1))).toEqual(['a', 'b', 'c']);
    expect(ids(moveBy(items('a', 'b', 'c'), 'c', 1))).toEqual(['a', 'b', 'c']);
    expect(ids(moveBy(items('a', 'b'), 'x', 1))).toEqual(['a', 'b']);
  });

  it('does not change the list it is given', () => {
    const list = items('a', 'b');
    move(list, 0, 1);
    expect(ids(list)).toEqual(['a', 'b']);
  });

  it('replaces an item in place (after a crop)', () => {
    const list = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }];
    expect(replaceItem(list, { id: 'b', v: 2 })).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }]);
  });
});

describe('mediaChanged', () => {
  const saved = { images: items('1', '2'), video: { id: 'v' } };
  it('notices a new order, another picture or video, or one taken away', () => {
    expect(mediaChanged(saved, { images: items('1', '2'), video: { id: 'v' } })).toBe(false);
    expect(mediaChanged(saved, { images: items('2', '1'), video: { id: 'v' } })).toBe(true);
    expect(mediaChanged(saved, { images: items('1'), video: { id: 'v' } })).toBe(true);
    expect(mediaChanged(saved, { images: items('1', '2'), video: null })).toBe(true);
    expect(mediaChanged(saved, { images: items('1', '2'), video: { id: 'w' } })).toBe(true);
    expect(mediaChanged({ images: [], video: null }, { images: [], video: null })).toBe(false);
  });
});
