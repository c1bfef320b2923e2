import { describe, expect, test } from "bun:test";
import { startInProcess } from "../../test/harness/in-process.ts";
import { startOwnPostgres } from "../../test/harness/own-postgres.ts";
import { storageBackends } from "../../test/harness/backends.ts";

const KEY = "kal-health-5e1c0b7d";
/** Polls until the check holds (or 30 s pass; the assertion after it then fails). */
async function waitUntil(check: () => Promise<boolean>) {
  for (let i = 0; i < 150 && !(await check()); i++) await Bun.sleep(200);
}
const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, root_span_id: `${prefix}-0` }));

describe("GET /api/health", () => {
  test("with keys set, the answer without a key is only ok and db; with the key it adds the writer's counters", async () => {
    const kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    try {
      const open = await fetch(`${kalmia.url}/api/health`);
      expect(open.status).toBe(200);
      expect(await open.json()).toEqual({ ok: true, db: "pglite" });
      const wrong = await fetch(`${kalmia.url}/api/health`, { headers: { authorization: "Bearer not-the-key" } });
      expect(await wrong.json()).toEqual({ ok: true, db: "pglite" });
      const keyed = (await (await fetch(`${kalmia.url}/api/health`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as any;
      expect(keyed.writer).toMatchObject({ refused_rows: 0, rejected_rows: 0, dropped_rows: 0, proxy_dropped_rows: 0, journal_rows: 0, last_error: null });
    } finally {
      await kalmia.stop();
    }
  });

  test("on Postgres stopped: 503 with a short reason and no driver text, writes still acknowledged (202 from the journal); 200 and the error cleared once it is back", async () => {
    const pg = await startOwnPostgres();
    const kalmia = await startInProcess({ DATABASE_URL: pg.url, KALMIA_API_KEYS: KEY });
    const auth = { authorization: `Bearer ${KEY}` };
    try {
      expect((await fetch(`${kalmia.url}/api/health`)).status).toBe(200);
      await pg.pause();
      const down = await fetch(`${kalmia.url}/api/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ok: false, db: "postgres", reason: "database_unreachable" });

      const queued = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ project: "health", rows: rows("down", 3) }) });
      expect(queued.status).toBe(202);
      const detailed = await (await fetch(`${kalmia.url}/api/health`, { headers: auth })).json() as any;
      expect(detailed.writer.journal_rows).toBe(3);
      // Classified: a SQLSTATE or a system code and fixed words, never the driver's message (host, user, SQL).
      expect(detailed.writer.last_error).toMatch(/^unavailable: the database could not be reached/);
      expect(JSON.stringify(detailed)).not.toContain("127.0.0.1");

      await pg.resume();
      const detail = async () => (await (await fetch(`${kalmia.url}/api/health`, { headers: auth })).json()) as any;
      await waitUntil(async () => (await detail()).writer.journal_rows === 0);
      const after = await detail();
      expect(after).toMatchObject({ ok: true, db: "postgres" });
      expect(after.writer).toMatchObject({ last_error: null, journal_rows: 0, buffered_rows: 0 });
      expect((await fetch(`${kalmia.url}/api/v1/traces/down-0`, { headers: auth })).status).toBe(200);
    } finally {
      await kalmia.stop();
      await pg.stop();
    }
  });

  test("rows waiting with no progress for 20 s make it 503 writer_stalled, though the database answers", async () => {
    const kalmia = await startInProcess({});
    const client = kalmia.store.database.client as { transaction: (...args: unknown[]) => Promise<unknown> };
    const realTransaction = client.transaction.bind(client);
    try {
      // Every batch fails as a lost connection does, while plain queries (the probe) still work.
      client.transaction = async () => {
        throw Object.assign(new Error("connection lost (injected fault)"), { code: "08006" });
      };
      const write = kalmia.post("/api/v1/spans", { project: "stall", rows: rows("stall", 2) });
      await Bun.sleep(21_000);
      const stalled = await fetch(`${kalmia.url}/api/health`);
      expect(stalled.status).toBe(503);
      expect(((await stalled.json()) as any).reason).toBe("writer_stalled");
      expect((await write).status).toBe(202);

      client.transaction = realTransaction;
      await waitUntil(async () => (await fetch(`${kalmia.url}/api/health`)).status === 200);
      expect((await fetch(`${kalmia.url}/api/health`)).status).toBe(200);
    } finally {
      client.transaction = realTransaction;
      await kalmia.stop();
    }
  }, 60_000);
});

for (const backend of storageBackends()) {
  describe(`GET /api/health's search_index on ${backend.name}`, () => {
    test("during a burst of writes it says the indexer yields to them, with the burst's spans pending; after it, none are", async () => {
      const prepared = await backend.prepare();
      const kalmia = await startInProcess(prepared.env);
      const searchIndex = async () => ((await kalmia.getJson("/api/health")) as any).search_index;
      try {
        // Four requests of 500 rows at a time: 2,000 rows waiting, a burst by the indexer's measure.
        const seen: { yielding_to_writes: boolean; pending_spans: number }[] = [];
        for (let round = 0; round < 6; round++) {
          const sent = Array.from({ length: 4 }, (_, i) => kalmia.post("/api/v1/spans", { project: "burst", rows: rows(`b${round}-${i}`, 500) }));
          seen.push(await searchIndex());
          expect((await Promise.all(sent)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
        }
        expect(seen.some((s) => s.yielding_to_writes)).toBe(true);
        expect(seen.some((s) => s.pending_spans > 0)).toBe(true);
        await waitUntil(async () => (await searchIndex()).pending_spans === 0);
        expect(await searchIndex()).toMatchObject({ pending_spans: 0, indexed_spans: 12_000, yielding_to_writes: false, last_error: null });
      } finally {
        await kalmia.stop();
        await prepared.cleanup();
      }
    }, 60_000);
  });
}
