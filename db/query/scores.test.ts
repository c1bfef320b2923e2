// The score-filtered count from scores alone (countScoredTraces, issue 23): exact up to its bound
// however the scores sit (several of a name on one trace, before their trace, given in later writes),
// and past the bound flagged as an estimate, on each backend.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { openStore, type Store } from "../store.ts";
import { createWriter, type Writer } from "../write/writer.ts";
import { listTraces } from "./list-traces.ts";
import { FEW_SCORES, fewScoresMatch } from "./scores.ts";

const newest = { sort: "start_time", order: "desc" } as const;
const now = Math.floor(Date.now() / 1000);

for (const backend of storageBackends()) {
  describe(`the score-filtered count on ${backend.name}`, () => {
    let store: Store;
    let writer: Writer;
    let cleanup: () => Promise<void>;
    const score = (id: string, traceId: string, value: number) => ({ id, trace_id: traceId, name: "exactness", value, source: "api" as const });
    const trace = (id: string) => ({ id, root_span_id: id, span_id: id, metrics: { start: now, end: now + 1 } });
    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
      writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      // Six traces: c-0..c-2 with one matching score each, c-3 and c-4 with two (c-4's second in a
      // later write), c-5 with one that does not match; and a score of a trace not stored yet.
      await writer.enqueue("counted", "sdk", [0, 1, 2, 3, 4, 5].map((i) => trace(`c-${i}`)));
      await writer.enqueue("counted", "sdk", [], [], {
        scores: [score("s0", "c-0", 1), score("s1", "c-1", 1), score("s2", "c-2", 1), score("s3a", "c-3", 1), score("s3b", "c-3", 0.9), score("s4a", "c-4", 1), score("s5", "c-5", 0), score("early", "c-6", 1)],
      });
      await writer.enqueue("counted", "sdk", [], [], { scores: [score("s4b", "c-4", 0.8)] });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });
    const count = async (exactUpTo: number, projectId?: string) => {
      const page = await listTraces(store.db, { projectId, score: { name: "exactness", min: 0.5 } }, 2, newest, exactUpTo);
      return { total: page.total, estimated: page.totalIsEstimate };
    };

    test("counts each stored trace once, exactly up to the bound, in a project and across all", async () => {
      const { projectId } = await store.projects.resolve("counted");
      expect(await count(100)).toEqual({ total: 5, estimated: false });
      expect(await count(5, projectId)).toEqual({ total: 5, estimated: false });
    });

    test("past the bound the total is flagged as an estimate, never below the bound", async () => {
      for (const bound of [4, 2, 1]) {
        const { total, estimated } = await count(bound);
        expect(estimated).toBe(true);
        expect(total).toBeGreaterThan(bound);
      }
    });

    test("a trace arriving after its score is counted from then on", async () => {
      await writer.enqueue("counted", "sdk", [trace("c-6")]);
      expect(await count(100)).toEqual({ total: 6, estimated: false });
    });

    test("a page and its total are the same whether few scores match (hashed) or many (probed)", async () => {
      const page = async () => {
        const listed = await listTraces(store.db, { score: { name: "exactness", min: 0.5 } }, 10, newest);
        return { ids: listed.traces.map((t) => t.id).sort(), total: listed.total };
      };
      const few = await page();
      expect(few).toEqual({ ids: ["c-0", "c-1", "c-2", "c-3", "c-4", "c-6"], total: 6 });
      // More matching scores than FEW_SCORES, all on traces not stored: the same traces match.
      const ghosts = Array.from({ length: FEW_SCORES + 1 }, (_, i) => score(`ghost-${i}`, `ghost-trace-${i}`, 1));
      await writer.enqueue("counted", "sdk", [], [], { scores: ghosts });
      expect(await fewScoresMatch(store.db, { name: "exactness", min: 0.5 })).toBe(false);
      expect(await page()).toEqual(few);
    });
  });
}
