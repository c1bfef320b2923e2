// Search (`q`) is indexed behind the writes (db/write/search-indexer.ts): what a user finds once the
// indexer has caught up, on each backend; that it yields to a burst of writes and catches up after,
// but not to a trickle; retention leaves nothing searchable; replicas on one
// Postgres share the indexing without doing it twice; a database of the 0004 schema, whose search
// index was on spans, is searchable after the upgrade.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../../test/harness/backends.ts";
import { migrationsUpTo } from "../../test/harness/migrations-up-to.ts";
import { searchIndexed } from "../../test/harness/search-indexed.ts";
import { openDatabase } from "../connect/open.ts";
import { createPartitionKeeper } from "../connect/partitions.ts";
import type { SpanRowInput } from "./span-row.ts";
import { openStore, type Store } from "../store.ts";
import { createWriter, type Writer } from "./writer.ts";

const DAY = 86_400_000;
const now = Date.now() / 1000;
const row = (id: string, trace: string, extra: Partial<SpanRowInput> = {}): SpanRowInput => ({
  id, root_span_id: trace, span_parents: id === trace ? [] : [trace], span_attributes: { name: id, type: "task" }, ...extra,
});

async function found(store: Store, project: string, q: string): Promise<string[]> {
  const projectId = (await store.projects.resolve(project)).projectId;
  return (await store.listTraces({ projectId, q }, 50)).traces.map((t) => t.id);
}

const countRows = async (store: Store, table: string, where = "true") =>
  Number((await store.database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0]!.n);

for (const backend of storageBackends()) {
  describe(`search indexing behind the writes on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const write = (project: string, rows: SpanRowInput[]) =>
      createWriter({ db: store.db, projects: store.projects, log: () => {} }).enqueue(project, "sdk", rows);

    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
      store.searchIndexer.start();
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("text in a child span is found once indexed, and the health lag counts it until then", async () => {
      expect(await write("idx", [row("root", "t-child"), row("fetch", "t-child", { output: { page: "clause 14.2: Marmalade Rights" } })])).toBe("committed");
      await searchIndexed(store);
      expect(await store.searchIndexer.pendingSpans()).toBe(0);
      expect(await found(store, "idx", "marmalade rights")).toEqual(["t-child"]);
    });

    test("a span's end row that adds its output is indexed again: the output is found", async () => {
      await write("idx", [row("call", "t-update", { metrics: { start: now } })]);
      await searchIndexed(store);
      expect(await found(store, "idx", "Quetzal")).toEqual([]);
      await write("idx", [row("call", "t-update", { output: "the Quetzal report", metrics: { end: now + 1 } })]);
      await searchIndexed(store);
      expect(await found(store, "idx", "Quetzal")).toEqual(["t-update"]);
      expect(await found(store, "idx", "call")).toContain("t-update");
      expect(await countRows(store, "span_search", "trace_id = 't-update'")).toBe(1);
    });

    // The indexer yields the cores to a burst of writes (db/write/search-indexer.ts, loop); the
    // burst here keeps 2,000 rows queued in a real writer, the burst line's double.
    const burst = async (writer: Writer, project: string, writes: number, during: () => Promise<boolean | void>) => {
      const rows = (w: number) => Array.from({ length: 500 }, (_, i) => row(`s${i}`, `burst-${w}`, { output: `Axolotl ${w}-${i}` }));
      const inFlight = new Set<Promise<unknown>>();
      let w = 0;
      while (w < writes) {
        // Topped up in the same tick as a write settles: the indexer never sees the queue short.
        for (; inFlight.size < 4 && w < writes; w++) {
          const written: Promise<unknown> = writer.enqueue(project, "sdk", rows(w)).then(() => inFlight.delete(written));
          inFlight.add(written);
        }
        if ((await during()) === true) break;
        await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      return w;
    };
    const restartIndexer = (writer: Writer, maxYieldMs: number) => store.searchIndexer.stop().then(() => store.searchIndexer.start({ yieldTo: writer.stats, maxYieldMs }));

    test("a burst of writes is left unindexed while it lasts, and is all searchable once it ends", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      await restartIndexer(writer, 600_000);
      const indexedBefore = store.searchIndexer.stats().indexed_spans;
      const seen: { pending: number; indexed: number }[] = [];
      let yielding = false;
      // At least 24 writes, and on until the indexer has been seen yielding for 8 more looks: on an
      // idle machine Postgres commits 24 writes faster than the indexer's 100 ms look at the writer.
      let looksSinceYield = 0;
      const writes = await burst(writer, "idx-burst", 400, async () => {
        seen.push({ pending: await store.searchIndexer.pendingSpans(), indexed: store.searchIndexer.stats().indexed_spans - indexedBefore });
        yielding ||= store.searchIndexer.stats().yielding_to_writes;
        if (yielding) looksSinceYield++;
        return seen.length >= 24 && looksSinceYield >= 8;
      });
      expect(yielding).toBe(true);
      // The first look comes before anything committed; from the second on, the burst's spans wait.
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.slice(1).every((s) => s.pending > 0)).toBe(true);
      expect(seen.map((s) => s.indexed)).toEqual(seen.map(() => 0));
      await searchIndexed(store);
      expect(store.searchIndexer.stats().indexed_spans - indexedBefore).toBe(writes * 500);
      expect((await found(store, "idx-burst", `axolotl ${writes - 1}-499`)).length).toBe(1);
      expect(store.searchIndexer.stats().yielding_to_writes).toBe(false);
    });

    test("a steady trickle of small writes is searchable while it goes on", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      await restartIndexer(writer, 600_000);
      let searchable = false;
      // One span each 20 ms (50 a second, the proxy's calls of a small service), for at most 10 s:
      // an indexer that waited for a pause in the writes would never find one.
      for (let i = 0; i < 500 && !searchable; i++) {
        await writer.enqueue("idx-trickle", "sdk", [row(`s${i}`, `trickle-${i}`, { output: `Wombat ${i}` })]);
        await Bun.sleep(20);
        if (i % 10 === 9) searchable = (await found(store, "idx-trickle", "wombat 0")).length > 0;
      }
      expect(searchable).toBe(true);
    });

    test("an endless burst still gets indexed a chunk at a time", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      // Yields at most 300 ms at a time, where the server's indexer yields 10 s.
      await restartIndexer(writer, 300);
      const indexedBefore = store.searchIndexer.stats().indexed_spans;
      let indexedDuringBurst = false;
      await burst(writer, "idx-endless", 400, async () => (indexedDuringBurst = store.searchIndexer.stats().indexed_spans > indexedBefore));
      expect(indexedDuringBurst).toBe(true);
      await searchIndexed(store);
    });

    test("retention that drops a trace's day leaves nothing of it searchable", async () => {
      await write("idx-retention", [row("r", "t-retained", { output: "Pangolin ledger" })]);
      await searchIndexed(store);
      expect(await found(store, "idx-retention", "pangolin")).toEqual(["t-retained"]);
      // Three days on, with one day kept: today's partitions go.
      const later = createPartitionKeeper({ database: store.database, retentionDays: 1, now: () => new Date(Date.now() + 3 * DAY), log: () => {} });
      await later.maintain();
      expect(await found(store, "idx-retention", "pangolin")).toEqual([]);
      expect(await countRows(store, "span_search")).toBe(0);
      await createPartitionKeeper({ database: store.database, log: () => {} }).ensureDay(new Date());
    });
  });
}

const postgres = storageBackends().find((b) => b.name === "postgres");
if (postgres) {
  describe("two replicas on one Postgres", () => {
    test("share the indexing: every span is indexed once, by one or the other", async () => {
      const prepared = await postgres.prepare();
      const where = { databaseUrl: prepared.env.DATABASE_URL, dataDir: "" };
      const [a, b] = [await openStore(where), await openStore(where)];
      try {
        const writer = createWriter({ db: a.db, projects: a.projects, log: () => {} });
        // 40 writes of 25 spans: 40 pending rows to share.
        await Promise.all(Array.from({ length: 40 }, (_, w) =>
          writer.enqueue("replicas", "sdk", Array.from({ length: 25 }, (_, i) => row(`s${i}`, `t${w}`, { output: `Ocelot ${w}-${i}` })))));
        expect(await a.searchIndexer.pendingSpans()).toBe(1000);
        a.searchIndexer.start();
        b.searchIndexer.start();
        await searchIndexed(a);
        await Promise.all([a.searchIndexer.stop(), b.searchIndexer.stop()]);
        expect(a.searchIndexer.stats().indexed_spans + b.searchIndexer.stats().indexed_spans).toBe(1000);
        expect(await countRows(a, "span_search")).toBe(1000);
        expect((await found(a, "replicas", "ocelot")).length).toBe(40);
      } finally {
        await a.close();
        await b.close();
        await prepared.cleanup();
      }
    });
  });
}

for (const backend of storageBackends()) {
  describe(`a database of the 0004 schema on ${backend.name}`, () => {
    test("upgrades in place: its stored spans are searchable, without waiting for the indexer", async () => {
      const prepared = await backend.prepare();
      const where = { databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" };
      const old = await openDatabase({ ...where, migrationsFolder: migrationsUpTo("0004_model_family") });
      await createPartitionKeeper({ database: old, tables: ["traces", "spans"] }).maintain();
      const created = new Date(Date.now() - 60_000).toISOString();
      for (const statement of [
        `insert into projects (id, name) values ('p1', 'legacy')`,
        `insert into experiments (id, project_id, name) values ('e1', 'p1', 'legacy')`,
        `insert into traces (id, project_id, experiment_id, source, status, start_time, created_at)
          values ('agent', 'p1', 'e1', 'sdk', 'ok', '${created}', '${created}')`,
        `insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, span_parents, name, output, start_time)
          values ('agent', 'agent', 'agent', '${created}', 'agent', 'p1', '[]', 'agent', '"done"', '${created}'),
                 ('tool', 'tool', 'agent', '${created}', 'agent', 'p1', '["agent"]', 'tool', '"Kestrel archive page 4"', '${created}')`,
      ]) await old.rows(sql.raw(statement));
      await old.close();
      const store = await openStore(where);
      try {
        expect(await found(store, "legacy", "kestrel archive")).toEqual(["agent"]);
        expect(await countRows(store, "span_search")).toBe(2);
        const index = await store.database.rows(sql`select 1 from pg_indexes where indexname = 'spans_search'`);
        expect(index).toHaveLength(0);
      } finally {
        await store.close();
        await prepared.cleanup();
      }
    });
  });
}
