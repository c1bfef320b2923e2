import type { Store } from "../../db/store.ts";

/**
 * Returns once every span written so far is searchable: search (`q`) is indexed behind the writes
 * (db/write/search-indexer.ts). Polls the pending count; fails after `timeoutMs`.
 */
export async function searchIndexed(store: Store, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.searchIndexer.pendingSpans()) > 0) {
    if (Date.now() > deadline) throw new Error(`search still had spans pending after ${timeoutMs} ms`);
    await Bun.sleep(10);
  }
}
