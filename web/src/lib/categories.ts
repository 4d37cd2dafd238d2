/**
 * The category tree from the flat `categories` list: nodes by name at each level, and
 * where a category may go without the tree growing past three levels (pure: unit-tested).
 */

/** How deep the server lets the tree go (catalog::MAX_CATEGORY_DEPTH). */
export const MAX_CATEGORY_DEPTH = 3;

export interface FlatCategory {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
}

export interface CategoryNode extends FlatCategory {
  /** 1 at the top. */
  depth: number;
  /** Names from the top down to this one. */
  path: string[];
  children: CategoryNode[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'tr');

/**
 * The tree's top level. A category whose parent is missing (or in a loop) is put at
 * the top rather than lost.
 */
export function buildTree(flat: readonly FlatCategory[]): CategoryNode[] {
  const ids = new Set(flat.map((c) => c.id));
  const childrenOf = new Map<string | null, FlatCategory[]>();
  for (const c of flat) {
    const parent = c.parentId !== null && ids.has(c.parentId) && c.parentId !== c.id ? c.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), c]);
  }
  const placed = new Set<string>();
  const grow = (c: FlatCategory, depth: number, path: string[]): CategoryNode => {
    placed.add(c.id);
    const here = [...path, c.name];
    const children = (childrenOf.get(c.id) ?? [])
      .filter((k) => !placed.has(k.id))
      .sort(byName)
      .map((k) => grow(k, depth + 1, here));
    return { ...c, depth, path: here, children };
  };
  const roots = [...(childrenOf.get(null) ?? [])].sort(byName).map((c) => grow(c, 1, []));
  // Members of a parent loop never hang under the top: show them there.
  const orphans = flat.filter((c) => !placed.has(c.id)).sort(byName);
  for (const c of orphans) {
    if (!placed.has(c.id)) roots.push(grow({ ...c, parentId: null }, 1, []));
  }
  return roots;
}

/** Every node, parents before their children (the order to list them in). */
export function flatten(tree: readonly CategoryNode[]): CategoryNode[] {
  return tree.flatMap((n) => [n, ...flatten(n.children)]);
}

/** The levels a branch spans: 1 for a category without subcategories. */
export function branchHeight(node: CategoryNode): number {
  return 1 + Math.max(0, ...node.children.map(branchHeight));
}

function find(tree: readonly CategoryNode[], id: string): CategoryNode | null {
  return flatten(tree).find((n) => n.id === id) ?? null;
}

/**
 * Where the category `id` may go (null: a new one): under any category that keeps
 * its whole branch within three levels, never under itself or its own subcategories.
 * Moving to the top is always possible and not listed.
 */
export function allowedParents(tree: readonly CategoryNode[], id: string | null): CategoryNode[] {
  const moving = id === null ? null : find(tree, id);
  const height = moving ? branchHeight(moving) : 1;
  const inside = new Set(moving ? flatten([moving]).map((n) => n.id) : []);
  return flatten(tree).filter((n) => !inside.has(n.id) && n.depth + height <= MAX_CATEGORY_DEPTH);
}
