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
  /** Puts a new item first (counted), or changes it in place when it is listed already. */
  add(item: T): void;
}

/** Loads `fetchPage(after)` for the current `deps` (a change starts over). */
export function usePagedList<T extends { id: string }>(
  fetchPage: (after: string | null) => Promise<Connection<T>>,
  deps: unknown[],
): PagedList<T> {
  // Items and their total change together (one state, so that updates compose).
  const [list, setList] = useState<{ items: T[]; total: number } | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasNextPage, setHasNextPage] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
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
      setList((current) => ({
        items: after && current ? [...current.items, ...nodes.filter((n) => !current.items.some((c) => c.id === n.id))] : nodes,
        total: page.totalCount,
      }));
      setCursor(page.pageInfo.endCursor);
      setHasNextPage(page.pageInfo.hasNextPage);
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };

  useEffect(() => {
    setList(null);
    void load(null);
  }, deps);

  const replace = (items: T[], item: T) => items.map((c) => (c.id === item.id ? item : c));

  return {
    items: list?.items ?? null,
    total: list?.total ?? 0,
    hasNextPage,
    busy,
    error,
    more: () => load(cursor),
    reload: () => load(null),
    update: (item) => setList((current) => current && { ...current, items: replace(current.items, item) }),
    remove: (id) =>
      setList((current) =>
        current?.items.some((c) => c.id === id)
          ? { items: current.items.filter((c) => c.id !== id), total: Math.max(0, current.total - 1) }
          : current,
      ),
    add: (item) =>
      setList((current) => {
        if (!current) return current;
        if (current.items.some((c) => c.id === item.id)) return { ...current, items: replace(current.items, item) };
        return { items: [item, ...current.items], total: current.total + 1 };
      }),
  };
}
