// A search (`q`) finds the same traces, in the same order and pages, with the same total, whichever
// way it runs (db/query/span-search.ts): walking the list with a hash of up to SEARCH_HASHED_UP_TO
// matches, or, past that bound, looking up every match; with and without a project and other filters.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { searchIndexed } from "../../test/harness/search-indexed.ts";
import { openStore, type Store } from "../store.ts";
import type { SpanRowInput } from "../write/span-row.ts";
import { createWriter } from "../write/writer.ts";
import { listTraces, type ListOrder, type TraceFilter } from "./list-traces.ts";

const now = Math.floor(Date.now() / 1000);

/** Trace i: a root and a tool; every third tool's output says "Quokka"; trace ids `qk-…` for the prefix. */
function traceRows(i: number): SpanRowInput[] {
  const id = `qk-${String(i).padStart(3, "0")}`;
  const start = now - 3600 + i * 7;
  return [
    { id, root_span_id: id, span_parents: [], span_attributes: { name: "agent", type: "task" }, input: { ask: `run ${i}` },
      metrics: { start, end: start + 1 + (i % 5) }, ...(i % 4 === 0 && { error: "failed" }) },
    { id: `${id}-tool`, root_span_id: id, span_parents: [id], span_attributes: { name: "lookup", type: "tool" },
      output: i % 3 === 0 ? `the Quokka report ${i}` : `nothing ${i}`, metrics: { start, end: start + 1 } },
  ];
}

for (const backend of storageBackends()) {
  describe(`search, hashed or looked up, on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
      store.searchIndexer.start();
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      await writer.enqueue("quokka-a", "sdk", Array.from({ length: 30 }, (_, i) => traceRows(i)).flat());
      await writer.enqueue("quokka-b", "sdk", Array.from({ length: 12 }, (_, i) => traceRows(100 + i)).flat());
      // One trace whose 30 spans all say "Wallaby".
      await writer.enqueue("wallaby", "sdk", Array.from({ length: 30 }, (_, i) => ({
        id: i === 0 ? "wb-root" : `wb-${i}`, root_span_id: "wb-root", span_parents: i === 0 ? [] : ["wb-root"],
        span_attributes: { name: "step", type: "task" }, output: `Wallaby step ${i}`, metrics: { start: now - 60 + i, end: now - 59 + i },
      })));
      await searchIndexed(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    /** Every page of the search, 4 at a time, as ids, with the first page's total. */
    async function allPages(filter: TraceFilter, order: ListOrder, hashedUpTo: number) {
      const ids: string[] = [];
      let after: ListOrder["after"];
      let total = -1;
      for (;;) {
        const page = await listTraces(store.db, filter, 4, { ...order, after }, undefined, hashedUpTo);
        if (total < 0) total = page.total;
        expect(page.totalIsEstimate).toBe(false);
        ids.push(...page.traces.map((t) => t.id));
        if (!page.next) return { ids, total };
        after = page.next;
      }
    }

    test("the same pages, order and total either way, alone, in a project, with other filters, by an id prefix", async () => {
      const { projectId } = await store.projects.resolve("quokka-a");
      const filters: [TraceFilter, number][] = [
        [{ q: "quokka" }, 10 + 4],
        [{ q: "quokka", projectId }, 10],
        [{ q: "quokka", hasErrors: true }, 3 + 1],
        [{ q: "qk-10" }, 10],
        [{ q: "qk-00", projectId }, 10],
        [{ q: "no such words" }, 0],
      ];
      const orders: ListOrder[] = [{ sort: "start_time", order: "desc" }, { sort: "start_time", order: "asc" }, { sort: "duration_ms", order: "desc" }];
      for (const [filter, expected] of filters) {
        for (const order of orders) {
          const hashed = await allPages(filter, order, 20_000);
          const lookedUp = await allPages(filter, order, 0);
          expect(hashed.total).toBe(expected);
          expect(hashed.ids.length).toBe(expected);
          expect(new Set(hashed.ids).size).toBe(expected);
          expect(hashed).toEqual(lookedUp);
        }
      }
    });

    test("a trace with more matching spans than the hash's bound allows is found once, either way", async () => {
      const order: ListOrder = { sort: "start_time", order: "desc" };
      // Bound 5: 30 matching spans pass the spans' cap (2 × 5) with one trace, and the search looks up.
      for (const bound of [20_000, 5, 0]) expect(await allPages({ q: "wallaby" }, order, bound)).toEqual({ ids: ["wb-root"], total: 1 });
    });

    test("newest first by default: the latest quokka traces lead", async () => {
      const page = await listTraces(store.db, { q: "quokka" }, 3, { sort: "start_time", order: "desc" });
      expect(page.traces.map((t) => t.id)).toEqual(["qk-111", "qk-108", "qk-105"]);
      expect(page.total).toBe(14);
    });
  });
}
