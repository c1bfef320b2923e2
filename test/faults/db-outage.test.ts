import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { startInProcess } from "../harness/in-process.ts";
import { startOwnPostgres } from "../harness/own-postgres.ts";
import { startKalmia, withServerLogs } from "../harness/start-kalmia.ts";
import { proxyLoad, waitForDrain } from "./proxy-load.ts";

const CALLS = 300;
const CONCURRENCY = 10;
// 300 calls, 10 at a time, 25 ms each: the traffic lasts ~0.8 s, and the
// database goes away 0.2 s in, so calls are made before and during the outage.
const LATENCY_MS = 25;

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.stop());

describe("the database goes away in the middle of proxied traffic", () => {
  test("Postgres stopped and restarted: no call fails or changes, every span lands once", () => withServerLogs(async () => {
    const pg = await startOwnPostgres();
    const kalmia = await startKalmia({ DATABASE_URL: pg.url, OPENAI_BASE_URL: `${upstream.url}/v1` });
    try {
      const load = proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: CALLS, concurrency: CONCURRENCY, project: "outage", latencyMs: LATENCY_MS });
      await Bun.sleep(200);
      await pg.pause();
      await Bun.sleep(3_000);
      await pg.resume();
      const result = await load;
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ calls: CALLS, failed: 0, altered: 0 });

      const writer = await waitForDrain(kalmia.url);
      expect(writer.retries).toBeGreaterThan(0);
      const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
      const [counts] = await sql`
        select count(*)::int as spans, count(distinct s.trace_id)::int as traces,
          count(*) filter (where s.status = 'ok')::int as ok
        from spans s join projects p on p.id = s.project_id where p.name = 'outage'`;
      await sql.end();
      expect(counts!.spans).toBe(CALLS - writer.proxy_dropped_rows);
      expect(counts!.traces).toBe(counts!.spans);
      expect(counts!.ok).toBe(counts!.spans);
    } finally {
      await kalmia.stop();
      await pg.stop();
    }
  }));

  test("PGlite failing for a while: no call fails or changes, every span lands once", async () => {
    const kalmia = await startInProcess({ OPENAI_BASE_URL: `${upstream.url}/v1` });
    const client = kalmia.store.database.client as { transaction: (...args: unknown[]) => Promise<unknown> };
    const realTransaction = client.transaction.bind(client);
    try {
      const load = proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: CALLS, concurrency: CONCURRENCY, project: "outage", latencyMs: LATENCY_MS });
      await Bun.sleep(200);
      // The embedded database cannot be stopped apart from the process; its
      // driver is made to fail the way a lost connection fails.
      client.transaction = async () => {
        throw Object.assign(new Error("connection lost (injected fault)"), { code: "08006" });
      };
      await Bun.sleep(3_000);
      client.transaction = realTransaction;
      const result = await load;
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ calls: CALLS, failed: 0, altered: 0 });

      const writer = await waitForDrain(kalmia.url);
      expect(writer.retries).toBeGreaterThan(0);
      const list = await kalmia.getJson(`/api/v1/traces?project=outage&limit=500`);
      expect(list.traces).toHaveLength(CALLS - writer.proxy_dropped_rows);
      expect(list.traces.every((t: any) => t.span_count === 1 && t.status === "ok")).toBe(true);
    } finally {
      client.transaction = realTransaction;
      await kalmia.stop();
    }
  });
});
