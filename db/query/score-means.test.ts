import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../../test/harness/backends.ts";
import { openStore, type Store } from "../store.ts";
import { createWriter } from "../write/writer.ts";
import { scoreMeans } from "./score-means.ts";

const HOUR = 3_600_000;

for (const backend of storageBackends()) {
  describe(`score means over time on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const base = Date.UTC(2026, 0, 5, 10); // 10:00 UTC, a bucket's start
    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      const score = (id: string, name: string, value: number | null, label?: string) =>
        ({ id, trace_id: `t-${id}`, name, value, label, source: "api" as const });
      await writer.enqueue("means", "sdk", [], [], {
        scores: [score("a", "quality", 1), score("b", "quality", 0), score("c", "relevance", 0.5), score("d", "verdict", null, "good"), score("e", "quality", 0.25)],
      });
      await writer.enqueue("other-project", "sdk", [], [], { scores: [score("f", "quality", 0.9)] });
      // Given at 10:10, 10:50, 10:20, 10:30, 12:05 and 10:15.
      const at = { a: 10, b: 50, c: 20, d: 30, e: 125, f: 15 } as Record<string, number>;
      for (const [id, minutes] of Object.entries(at)) {
        await store.db.execute(sql`update scores set created_at = ${new Date(base + minutes * 60_000).toISOString()}::timestamptz where id = ${id}`);
      }
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    test("gives each hour its mean per score name, in time order, skipping labels, empty hours and other projects", async () => {
      const { projectId } = await store.projects.resolve("means");
      const points = await scoreMeans(store.db, { projectId, since: new Date(base), until: new Date(base + 3 * HOUR), bucketSeconds: 3600 });
      expect(points).toEqual([
        { t: "2026-01-05T10:00:00.000Z", scores: { quality: 0.5, relevance: 0.5 } },
        { t: "2026-01-05T12:00:00.000Z", scores: { quality: 0.25 } },
      ]);
    });

    test("buckets of a day hold the whole window; until is exclusive; without a project every project counts", async () => {
      const day = await scoreMeans(store.db, { since: new Date(base - 10 * HOUR), until: new Date(base + 2 * HOUR), bucketSeconds: 86_400 });
      expect(day).toEqual([{ t: "2026-01-05T00:00:00.000Z", scores: { quality: expect.closeTo((1 + 0 + 0.9) / 3, 10), relevance: 0.5 } }]);
    });
  });
}
