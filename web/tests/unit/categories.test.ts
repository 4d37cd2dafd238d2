import { describe, expect, it } from 'vitest';
import { allowedParents, branchHeight, buildTree, flatten, type FlatCategory } from '../../src/lib/categories';

const c = (id: string, name: string, parentId: string | null = null): FlatCategory => ({ id, name, slug: name.toLowerCase(), parentId });

// Ev › Mutfak › Kupalar, Ev › Banyo, Bahçe; "Çay" sorts after "Bahçe" and before "Ev" in Turkish.
const flat = [c('4', 'Kupalar', '2'), c('2', 'Mutfak', '1'), c('1', 'Ev'), c('3', 'Banyo', '1'), c('5', 'Bahçe'), c('6', 'Çay')];

describe('buildTree', () => {
  it('nests categories under their parents, by name (Turkish order) at each level', () => {
    const tree = buildTree(flat);
    expect(tree.map((n) => n.name)).toEqual(['Bahçe', 'Çay', 'Ev']);
    const ev = tree[2]!;
    expect(ev.children.map((n) => n.name)).toEqual(['Banyo', 'Mutfak']);
    expect(ev.children[1]!.children.map((n) => n.name)).toEqual(['Kupalar']);
  });

  it('knows each node’s depth and path', () => {
    const kupalar = flatten(buildTree(flat)).find((n) => n.id === '4')!;
    expect(kupalar.depth).toBe(3);
    expect(kupalar.path).toEqual(['Ev', 'Mutfak', 'Kupalar']);
  });

  it('lists parents before their children', () => {
    expect(flatten(buildTree(flat)).map((n) => n.name)).toEqual(['Bahçe', 'Çay', 'Ev', 'Banyo', 'Mutfak', 'Kupalar']);
  });

  it('loses nothing: a missing parent or a loop puts categories at the top', () => {
    const odd = [c('1', 'Yetim', '99'), c('2', 'A', '3'), c('3', 'B', '2')];
    const all = flatten(buildTree(odd));
    expect(all.map((n) => n.id).sort()).toEqual(['1', '2', '3']);
    expect(all.find((n) => n.id === '1')!.depth).toBe(1);
  });
});

describe('branchHeight', () => {
  it('counts the levels below and including a category', () => {
    const [, , ev] = buildTree(flat);
    expect(branchHeight(ev!)).toBe(3);
    expect(branchHeight(ev!.children[0]!)).toBe(1);
  });
});

describe('allowedParents', () => {
  const tree = buildTree(flat);
  const names = (id: string | null) => allowedParents(tree, id).map((n) => n.name);

  it('a new category goes under anything but the third level', () => {
    expect(names(null)).toEqual(['Bahçe', 'Çay', 'Ev', 'Banyo', 'Mutfak']);
  });

  it('a category never goes under itself or its own subcategories', () => {
    expect(names('3')).not.toContain('Banyo');
    expect(names('2')).not.toContain('Kupalar');
    expect(names('2')).not.toContain('Mutfak');
  });

  it('a branch keeps within three levels where it goes', () => {
    // Mutfak carries Kupalar: only under a top-level category.
    expect(names('2')).toEqual(['Bahçe', 'Çay', 'Ev']);
    // Ev carries two more levels: it can only stay at the top.
    expect(names('1')).toEqual([]);
    // A leaf goes anywhere above the third level.
    expect(names('4')).toEqual(['Bahçe', 'Çay', 'Ev', 'Banyo', 'Mutfak']);
  });
});
