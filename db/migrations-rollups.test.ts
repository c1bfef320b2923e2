// A database made by the schema of migration 0007 (the overview's rollups one row per latency bin)
// upgrades in place: its rollups are made again, one row per grain, model and provider with the
// latencies inside, from the stored traces, and the overview read from them matches the traces.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../test/harness/backends.ts";
import { openPreviousSchema } from "../test/harness/migrations-up-to.ts";
import { stats } from "./query/stats.ts";
import { openStore, type Store } from "./store.ts";

const PREVIOUS = "0007_scores";
const HOUR = 3_600_000;
const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const at = (ms: number) => new Date(ms).toISOString();

for (const backend of storageBackends()) {
  describe(`a database of the 0007 schema on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const previous = await openPreviousSchema(backend, PREVIOUS);
      cleanup = previous.cleanup;
      const { old, where } = previous;
      await old.rows(sql`insert into projects (id, name) values ('p1', 'before')`);
      await old.rows(sql`insert into experiments (id, project_id, name) values ('e1', 'p1', 'before')`);
      // Two ended traces in the first hour, one in the second, one still running there.
      await old.rows(sql`insert into traces (id, created_at, project_id, experiment_id, source, provider, model, model_family, status,
          start_time, duration_ms, ttft_ms, prompt_tokens, completion_tokens, cost_usd, span_count)
        values ('a', now(), 'p1', 'e1', 'sdk', 'openai', 'gpt-4o', 'gpt-4o', 'ok', ${at(hourStart + 60_000)}::timestamptz, 200, 50, 10, 1, 0.001, 1),
               ('b', now(), 'p1', 'e1', 'sdk', 'openai', 'gpt-4o', 'gpt-4o', 'error', ${at(hourStart + 120_000)}::timestamptz, 4000, 90, 20, 2, 0.002, 1),
               ('c', now(), 'p1', 'e1', 'sdk', 'anthropic', 'claude-sonnet-4', 'claude-sonnet-4', 'ok', ${at(hourStart + HOUR + 60_000)}::timestamptz, 900, null, 30, 3, 0.004, 1),
               ('d', now(), 'p1', 'e1', 'sdk', 'anthropic', 'claude-sonnet-4', 'claude-sonnet-4', 'running', ${at(hourStart + HOUR + 120_000)}::timestamptz, null, null, 0, 0, 0, 1)`);
      await old.close();
      store = await openStore(where);
    }, 120_000);
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("its overview from the rebuilt rollups counts every stored trace, hour by hour, with their latencies", async () => {
      const window = { projectId: "p1", since: new Date(hourStart), until: new Date(hourStart + 2 * HOUR - 1), bucket: "1h" as const };
      const [rollups, exact] = await Promise.all([stats(store.database, { ...window, source: "rollups" }), stats(store.database, { ...window, source: "exact" })]);
      expect(rollups.series[0]!.points.map((p) => [p.traces, p.errors, p.prompt_tokens])).toEqual([[2, 1, 30], [2, 0, 30]]);
      expect(rollups.totals.cost_usd).toBeCloseTo(0.007, 9);
      for (const [b, point] of rollups.series[0]!.points.entries()) {
        const other = exact.series[0]!.points[b]!;
        expect(point.traces).toBe(other.traces);
        for (const field of ["p50_ms", "p99_ms", "ttft_p50_ms"] as const) {
          if (other[field] === null) expect(point[field]).toBeNull();
          else expect(Math.abs(point[field]! - other[field]!) / other[field]!).toBeLessThanOrEqual(0.02);
        }
      }
    });

    test("minute buckets of the same window read the per-minute rollups, each trace in its own minute", async () => {
      const minutes = await stats(store.database, { projectId: "p1", since: new Date(hourStart), until: new Date(hourStart + 2 * HOUR - 1), bucket: "5m", source: "rollups" });
      const busy = minutes.series[0]!.points.filter((p) => p.traces > 0).map((p) => [p.t, p.traces]);
      expect(busy).toEqual([[at(hourStart), 2], [at(hourStart + HOUR), 2]]);
    });

    test("six-hour buckets read the six-hour rollups, with the same counts and percentiles", async () => {
      const window = { projectId: "p1", since: new Date(hourStart), until: new Date(hourStart + 2 * HOUR - 1), bucket: "6h" as const };
      const [rollups, exact] = await Promise.all([stats(store.database, { ...window, source: "rollups" }), stats(store.database, { ...window, source: "exact" })]);
      expect(rollups.series[0]!.points.map((p) => p.traces)).toEqual(exact.series[0]!.points.map((p) => p.traces));
      expect(rollups.totals.traces).toBe(4);
      expect(Math.abs(rollups.totals.p99_ms! - exact.totals.p99_ms!) / exact.totals.p99_ms!).toBeLessThanOrEqual(0.02);
    });
  });
}
