import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../../test/harness/backends.ts";
import { createPartitionKeeper, listPartitions } from "./partitions.ts";
import { openStore, type Store } from "../store.ts";
import { createWriter } from "../write/writer.ts";

const DAY = 86_400_000;

for (const backend of storageBackends()) {
  describe(`day partitions and retention on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("opening the store makes today's partitions and the next days'", async () => {
      const days = new Set((await listPartitions(store.database)).map((p) => p.day));
      const today = Math.floor(Date.now() / DAY) * DAY;
      for (let d = 0; d <= 3; d++) expect(days.has(today + d * DAY)).toBe(true);
    });

    test("retention drops the days past it, whole traces with their spans, and keeps the rest", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      await writer.enqueue("retention", "sdk", [{ id: "fresh", root_span_id: "fresh" }]);
      const { projectId, experimentId } = await store.projects.resolve("retention");
      const old = new Date(Date.now() - 10 * DAY);
      const keeper = createPartitionKeeper({ database: store.database, log: () => {} });
      await keeper.ensureDay(old);
      await store.db.execute(sql`insert into traces (id, created_at, project_id, experiment_id, source)
        values ('old', ${old.toISOString()}::timestamptz, ${projectId}, ${experimentId}, 'sdk')`);
      await store.db.execute(sql`insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id)
        values ('old-span', 'old-span', 'old', ${old.toISOString()}::timestamptz, 'old', ${projectId})`);
      expect(await store.getTrace("old")).not.toBeNull();

      const keep7 = createPartitionKeeper({ database: store.database, retentionDays: 7, log: () => {} });
      const { dropped } = await keep7.maintain();
      const stamp = old.toISOString().slice(0, 10).replaceAll("-", "");
      // The day's search text (db/write/search-indexer.ts) goes with its spans.
      expect(dropped.sort()).toEqual([`span_search_p${stamp}`, `spans_p${stamp}`, `trace_rollups_p${stamp}`, `traces_p${stamp}`]);
      expect(await store.getTrace("old")).toBeNull();
      const [orphans] = await store.database.rows<{ n: number }>(sql`select count(*)::int as n from spans where trace_id = 'old'`);
      expect(Number(orphans!.n)).toBe(0);
      expect((await store.getTrace("fresh"))!.id).toBe("fresh");
      expect(await listPartitions(store.database)).not.toContainEqual(expect.objectContaining({ name: `traces_p${stamp}` }));
    });

    test("retention drops a dropped day's scores with its traces, and scores whose trace never came, and keeps the rest", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      const score = (id: string, traceId: string) => ({ id, trace_id: traceId, name: "quality", value: 1, source: "api" as const });
      await writer.enqueue("retention", "sdk", [{ id: "kept", root_span_id: "kept" }], [], { scores: [score("kept-score", "kept")] });
      const { projectId, experimentId } = await store.projects.resolve("retention");
      const old = new Date(Date.now() - 10 * DAY);
      await createPartitionKeeper({ database: store.database, log: () => {} }).ensureDay(old);
      await store.db.execute(sql`insert into traces (id, created_at, project_id, experiment_id, source)
        values ('old-scored', ${old.toISOString()}::timestamptz, ${projectId}, ${experimentId}, 'sdk')`);
      await writer.enqueue("retention", "sdk", [], [], { scores: [score("old-score", "old-scored"), score("orphan-score", "never-came")] });
      await store.db.execute(sql`update scores set created_at = ${old.toISOString()}::timestamptz where id = 'orphan-score'`);

      await createPartitionKeeper({ database: store.database, retentionDays: 7, log: () => {} }).maintain();
      const left = await store.database.rows<{ id: string }>(sql`select id from scores order by id`);
      expect(left.map((r) => r.id)).toEqual(["kept-score"]);
    });

    test("a span arriving days after its trace lands in the trace's partition and merges", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      const { projectId, experimentId } = await store.projects.resolve("late");
      const earlier = new Date(Date.now() - 2 * DAY);
      await createPartitionKeeper({ database: store.database }).ensureDay(earlier);
      await store.db.execute(sql`insert into traces (id, created_at, project_id, experiment_id, source)
        values ('late-trace', ${earlier.toISOString()}::timestamptz, ${projectId}, ${experimentId}, 'sdk')`);
      await writer.enqueue("late", "sdk", [{ id: "late-span", root_span_id: "late-trace", metrics: { start: Date.now() / 1000 } }]);
      await writer.enqueue("late", "sdk", [{ id: "late-span", root_span_id: "late-trace", output: "done" }]);
      const trace = await store.getTrace("late-trace");
      expect(trace!.spans.map((s) => [s.id, s.output])).toEqual([["late-span", "done"]]);
      expect(trace!.span_count).toBe(1);
      const [rows] = await store.database.rows<{ n: number }>(sql`select count(*)::int as n from traces where id = 'late-trace'`);
      expect(Number(rows!.n)).toBe(1);
    });

    test("one batch for a trace of an earlier day and a new one writes each into its own day's partitions", async () => {
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      const { projectId, experimentId } = await store.projects.resolve("two-days");
      const earlier = new Date(Date.now() - 3 * DAY);
      await createPartitionKeeper({ database: store.database }).ensureDay(earlier);
      // Microseconds, which a JS Date would drop: the spans must repeat the creation time exactly.
      const createdAt = `${earlier.toISOString().slice(0, 19)}.123456+00`;
      await store.db.execute(sql`insert into traces (id, created_at, project_id, experiment_id, source)
        values ('old-day', ${createdAt}::timestamptz, ${projectId}, ${experimentId}, 'sdk')`);
      const start = Date.now() / 1000;
      await Promise.all([
        writer.enqueue("two-days", "sdk", [{ id: "old-day-span", root_span_id: "old-day", metrics: { start, end: start + 1 } }], [], { background: true }),
        writer.enqueue("two-days", "sdk", [{ id: "new-day-span", root_span_id: "new-day", metrics: { start, end: start + 1 } }], [], { background: true }),
      ]);
      expect(writer.stats().commits).toBe(1);
      const stamp = (date: Date) => date.toISOString().slice(0, 10).replaceAll("-", "");
      const placed = await store.database.rows<{ kind: string; id: string; partition: string; same_time: boolean }>(sql`
        select 'trace' as kind, id, tableoid::regclass::text as partition, created_at = ${createdAt}::timestamptz as same_time
          from traces where id in ('old-day', 'new-day')
        union all
        select 'span', id, tableoid::regclass::text, trace_created_at = ${createdAt}::timestamptz
          from spans where id in ('old-day-span', 'new-day-span')
        order by kind, id`);
      expect(placed).toEqual([
        { kind: "span", id: "new-day-span", partition: `spans_p${stamp(new Date())}`, same_time: false },
        { kind: "span", id: "old-day-span", partition: `spans_p${stamp(earlier)}`, same_time: true },
        { kind: "trace", id: "new-day", partition: `traces_p${stamp(new Date())}`, same_time: false },
        { kind: "trace", id: "old-day", partition: `traces_p${stamp(earlier)}`, same_time: true },
      ]);
      expect((await store.getTrace("old-day"))!.span_count).toBe(1);
      expect((await store.getTrace("new-day"))!.span_count).toBe(1);
    });
  });
}
