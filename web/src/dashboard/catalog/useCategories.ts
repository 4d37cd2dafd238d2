/** The category tree, loaded once per page (it is small: the server sends it whole). */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CategoriesDocument, type CategoryFieldsFragment } from '../../generated/graphql';
import { buildTree, flatten, type CategoryNode, type FlatCategory } from '../../lib/categories';
import { request } from '../../lib/graphql';

function flatCategory(c: CategoryFieldsFragment): FlatCategory {
  return { id: c.id, name: c.name, slug: c.slug, parentId: c.parent?.id ?? null };
}

export interface Categories {
  /** The top level; null until loaded. */
  tree: CategoryNode[] | null;
  /** Every node, parents first (for lists and selects). */
  nodes: CategoryNode[];
  error: unknown;
  reload(): Promise<void>;
}

export function useCategories(): Categories {
  const [flat, setFlat] = useState<FlatCategory[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = async () => {
    setError(null);
    try {
      const { categories } = await request(CategoriesDocument, {});
      setFlat(categories.map(flatCategory));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void reload();
  }, []);
  const tree = useMemo(() => (flat ? buildTree(flat) : null), [flat]);
  const nodes = useMemo(() => (tree ? flatten(tree) : []), [tree]);
  return { tree, nodes, error, reload };
}
