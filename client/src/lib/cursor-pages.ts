import { createResource, createSignal } from "solid-js";

export type CursorPage<T> = { items: T[]; next_cursor: string | null };

/**
 * A list paged by cursor (the Sessions and Users pages): the first page is fetched again whenever
 * `query` changes, dropping the pages loaded after it; `loadMore` appends the next. `query` returns
 * an object: a resource whose source is undefined never fetches.
 */
export function createCursorPages<Q extends object, T>(query: () => Q, fetchPage: (query: Q, cursor: string | null) => Promise<CursorPage<T>>) {
  const [more, setMore] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [first, { refetch }] = createResource(query, async (q) => {
    const page = await fetchPage(q, null);
    setMore([]);
    setCursor(page.next_cursor);
    return page.items;
  });
  const items = () => [...(first() ?? []), ...more()];
  const loadMore = async () => {
    const page = await fetchPage(query(), cursor());
    setMore([...more(), ...page.items]);
    setCursor(page.next_cursor);
  };
  return { first, refetch, items, cursor, loadMore };
}
