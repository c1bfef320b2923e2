import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createPricing } from "../../server/pricing/pricing.ts";
import { storageBackends } from "../../test/harness/backends.ts";
import { openPreviousSchema } from "../../test/harness/migrations-up-to.ts";
import { repriceStored } from "./reprice-stored.ts";
import { stats } from "../query/stats.ts";
import { openStore, type Store } from "../store.ts";

// The schema before spans were priced as merged: migrations up to 0002.
const PREVIOUS = "0002_session_revocations";

for (const backend of storageBackends()) {
  describe(`a database of the previous schema, on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const previous = await openPreviousSchema(backend, PREVIOUS);
      cleanup = previous.cleanup;
      const { old, where } = previous;
      // As the previous writer stored them: an SDK call whose rows merged unpriced, a proxied call
      // priced by the proxy (metrics.cost_usd), and a trace ingested with only its own metadata.
      await old.rows(sql`insert into projects (id, name) values ('p1', 'old') `);
      await old.rows(sql`insert into experiments (id, project_id, name) values ('e1', 'p1', 'old')`);
      await old.rows(sql`insert into traces (id, created_at, project_id, experiment_id, source, provider, model, status, span_count)
        values ('sdk-trace', now(), 'p1', 'e1', 'sdk', 'anthropic', 'claude-sonnet-4-20250514', 'ok', 1),
               ('proxy-trace', now(), 'p1', 'e1', 'proxy', 'openai', 'gpt-4o-2024-08-06', 'ok', 1),
               ('bare-trace', now(), 'p1', 'e1', 'ingest', 'openai', 'gpt-4o-mini', 'ok', 0)`);
      await old.rows(sql`insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, type, status,
          provider, model, metrics, start_time, prompt_tokens, completion_tokens, total_tokens, cost_usd)
        select 'sdk-span', 'sdk-span', 'sdk-trace', created_at, 'sdk-trace', 'p1', 'llm', 'ok', 'anthropic', 'claude-sonnet-4-20250514',
          '{"start": 1, "end": 2, "prompt_tokens": 1000, "completion_tokens": 100}'::jsonb, now(), 1000, 100, 1100, null::float8
        from traces where id = 'sdk-trace'
        union all
        select 'proxy-span', 'proxy-span', 'proxy-trace', created_at, 'proxy-trace', 'p1', 'llm', 'ok', 'openai', 'gpt-4o-2024-08-06',
          '{"prompt_tokens": 1000, "completion_tokens": 100, "cost_usd": 0.0035}'::jsonb, now(), 1000, 100, 1100, 0.0035
        from traces where id = 'proxy-trace'`);
      await old.close();
      store = await openStore(where);
      await repriceStored(store.database, async () => createPricing());
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("upgrades in place: the SDK call left unpriced is priced, on its span and its trace", async () => {
      const trace = (await store.getTrace("sdk-trace"))!;
      expect(trace.cost_usd).toBeCloseTo(0.0045, 9);
      expect(trace.model_family).toBe("claude-sonnet-4");
      expect(trace.spans[0]!.metrics.cost_usd).toBeCloseTo(0.0045, 9);
      expect(trace.spans[0]!.model_family).toBe("claude-sonnet-4");
    });

    test("a cost the rows gave stays, and every stored trace gets its family", async () => {
      expect((await store.getTrace("proxy-trace"))!.cost_usd).toBe(0.0035);
      const { traces } = await store.listTraces({ model: "gpt-4o" }, 50);
      expect(traces.map((t) => t.id)).toEqual(["proxy-trace"]);
      expect((await store.listTraces({ model: "gpt-4o-mini" }, 50)).traces.map((t) => t.id)).toEqual(["bare-trace"]);
    });

    test("the overview's rollups, made by the migration, follow the new costs and families", async () => {
      const now = new Date();
      const window = { since: new Date(now.getTime() - 3_600_000), until: new Date(now.getTime() + 60_000), bucket: "1h" as const, groupBy: "model" as const };
      const [rollups, exact] = await Promise.all([
        stats(store.database, { ...window, source: "rollups" }),
        stats(store.database, { ...window, source: "exact" }),
      ]);
      expect(rollups.totals.traces).toBe(3);
      expect(rollups.totals.cost_usd).toBeCloseTo(0.0045 + 0.0035, 9);
      expect(rollups.series.map((s) => [s.key, s.totals.traces, s.totals.cost_usd])).toEqual(exact.series.map((s) => [s.key, s.totals.traces, s.totals.cost_usd]));
      expect(rollups.series.map((s) => s.key).sort()).toEqual(["claude-sonnet-4", "gpt-4o", "gpt-4o-mini"]);
    });

    test("a second run finds nothing left to do, and never loads the price data to find that out", async () => {
      let loads = 0;
      const load = async () => (loads++, createPricing());
      expect(await repriceStored(store.database, load)).toBe(0);
      expect(loads).toBe(0);
    });
  });
}
