/** Relay-style lists (edges, pageInfo, totalCount) shown page by page with "more". */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: T }>;
}

export interface PagedList<T extends { id: string }> {
  items: T[] | null;
  total: number;
  hasNextPage: boolean;
  /** Loading the first page or the next one. */
  busy: boolean;
  error: unknown;
  more(): Promise<void>;
  reload(): Promise<void>;
  /** Changes an item in place (after a mutation). */
  update(item: T): void;
  /** Takes an item out (deleted, or no longer matching the filter). */
  remove(id: string): void;
}

/** Loads `fetchPage(after)` for the current `deps` (a change starts over). */
export function usePagedList<T extends { id: string }>(
  fetchPage: (after: string | null) => Promise<Connection<T>>,
  deps: unknown[],
): PagedList<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasNextPage, setHasNextPage] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const itemsRef = useRef<T[] | null>(null);
  itemsRef.current = items;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = async (after: string | null) => {
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    try {
      const page = await fetchRef.current(after);
      if (mine !== seq.current) return;
      const nodes = page.edges.map((e) => e.node);
      setItems((current) => (after && current ? [...current, ...nodes.filter((n) => !current.some((c) => c.id === n.id))] : nodes));
      setTotal(page.totalCount);
      setCursor(page.pageInfo.endCursor);
      setHasNextPage(page.pageInfo.hasNextPage);
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };

  useEffect(() => {
    setItems(null);
    void load(null);
  }, deps);

  return {
    items,
    total,
    hasNextPage,
    busy,
    error,
    more: () => load(cursor),
    reload: () => load(null),
    update: (item) => setItems((current) => current?.map((c) => (c.id === item.id ? item : c)) ?? current),
    remove: (id) => {
      if (!itemsRef.current?.some((c) => c.id === id)) return;
      itemsRef.current = itemsRef.current.filter((c) => c.id !== id);
      setItems(itemsRef.current);
      setTotal((n) => Math.max(0, n - 1));
    },
  };
}
