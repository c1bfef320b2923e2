import { expect, test } from "bun:test";
import postgres from "postgres";
import { startFakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { startConnectionCutter } from "../harness/connection-cutter.ts";
import { startOwnPostgres } from "../harness/own-postgres.ts";
import { startKalmia, withServerLogs } from "../harness/start-kalmia.ts";
import { proxyLoad } from "./proxy-load.ts";

// The CI flake of journal-outage.test.ts, made to happen every time: postgres.js drops the promise
// of the array-type lookup it runs first on each new connection, so a connection lost during it was
// an unhandled rejection, which ends a Bun process. As PostgreSQL goes away, Kalmia's pools
// reconnect; the server died, and the proxied calls in flight with it.
test("connections cut as the driver looks up its types: the server lives, no proxied call fails, and every span is written once they are not", () =>
  withServerLogs(async () => {
    const pg = await startOwnPostgres();
    const cutter = await startConnectionCutter(pg.url);
    const upstream = await startFakeUpstream();
    const kalmia = await startKalmia({ DATABASE_URL: cutter.url, OPENAI_BASE_URL: `${upstream.url}/v1` });
    try {
      cutter.cutTypeLookups(true);
      cutter.cutAll();
      // The indexer's and the live feed's reconnects are cut, then the writer's once calls come.
      const first = await proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: 10, concurrency: 5, project: "type-lookup" });
      for (let i = 0; i < 100 && cutter.lookupsCut() < 5; i++) await Bun.sleep(100);
      // Still serving after the cuts, not only before them.
      const second = await proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: 10, concurrency: 5, project: "type-lookup" });
      expect([first, second]).toMatchObject([{ calls: 10, failed: 0, altered: 0 }, { calls: 10, failed: 0, altered: 0 }]);
      expect(cutter.lookupsCut()).toBeGreaterThanOrEqual(5);

      cutter.cutTypeLookups(false);
      const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
      let stored = 0;
      for (let i = 0; i < 150 && stored < 20; i++) {
        await Bun.sleep(200);
        const [row] = await sql`select count(*)::int as n from spans s join projects p on p.id = s.project_id where p.name = 'type-lookup'`;
        stored = row!.n;
      }
      await sql.end();
      expect(stored).toBe(20);
      expect(kalmia.logs()).toContain("survived a database connection lost while the driver looked up its types");
      expect(await kalmia.stop()).toBe(0);
    } finally {
      await kalmia.stop();
      await upstream.stop();
      await cutter.stop();
      await pg.stop();
    }
  }), 90_000);
