// A database made by the schema before migration 0003 (int token sums, status = "any span
// failed", start times that may be null, no search index) upgrades in place when the new server
// opens it, its rows read the new way.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../test/harness/backends.ts";
import { openPreviousSchema } from "../test/harness/migrations-up-to.ts";
import { openStore, type Store } from "./store.ts";

const PREVIOUS = "0002_session_revocations";

const now = Date.now();
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();

for (const backend of storageBackends()) {
  describe(`a database of the previous schema on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const previous = await openPreviousSchema(backend, PREVIOUS);
      cleanup = previous.cleanup;
      const { old, where } = previous;
      // What the previous server wrote: an agent whose root delivered after a failed fetch (then
      // stored as "error"), and a trace without times (then a null start_time).
      const statements = `
        insert into projects (id, name) values ('p1', 'legacy');
        insert into experiments (id, project_id, name) values ('e1', 'p1', 'legacy');
        insert into traces (id, project_id, experiment_id, source, status, start_time, end_time, duration_ms,
          prompt_tokens, completion_tokens, total_tokens, span_count, created_at)
        values ('agent', 'p1', 'e1', 'sdk', 'error', '${at(60)}', '${at(50)}', 10000, 2147483647, 10, 2147483647, 2, '${at(60)}'),
               ('bare', 'p1', 'e1', 'ingest', 'ok', null, null, null, null, null, null, 0, '${at(30)}');
        insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, span_parents, name, status,
          output, start_time, end_time, prompt_tokens, total_tokens)
        values ('agent', 'agent', 'agent', '${at(60)}', 'agent', 'p1', '[]', 'agent', 'ok', '"the report"', '${at(60)}', '${at(50)}', 2147483647, 2147483647),
               ('fetch', 'fetch', 'agent', '${at(60)}', 'agent', 'p1', '["agent"]', 'fetch', 'error', '"403 from the archive"', '${at(59)}', '${at(58)}', null, null)`;
      for (const statement of statements.split(";\n")) await old.rows(sql.raw(statement));
      await old.close();
      store = await openStore(where);
    }, 120_000);
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("upgrades in place: the root's status with failed steps counted, every trace timed, its spans searchable", async () => {
      const projectId = (await store.projects.idOf("legacy"))!;
      const page = await store.listTraces({ projectId }, 10);
      expect(page.total).toBe(2);
      expect(page.traces.map((t) => [t.id, t.status, t.error_count])).toEqual([["bare", "ok", 0], ["agent", "ok", 1]]);
      expect(page.traces[0]!.start_time).toBe(at(30));
      expect((await store.listTraces({ projectId, hasErrors: true }, 10)).traces.map((t) => t.id)).toEqual(["agent"]);
      expect((await store.listTraces({ projectId, status: "error" }, 10)).total).toBe(0);
      expect((await store.listTraces({ projectId, q: "archive" }, 10)).traces.map((t) => t.id)).toEqual(["agent"]);
    });

    test("its trace token sums widen to bigint: a second span past 2^31 - 1 is summed, not capped", async () => {
      const { createWriter } = await import("./write/writer.ts");
      const writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
      const start = (now - 40_000) / 1000;
      // A row of the agent's trace, as an SDK would send it now.
      const outcome = await writer.enqueue("legacy", "sdk", [
        { id: "summary", root_span_id: "agent", span_parents: ["agent"], span_attributes: { name: "summary", type: "llm" },
          metrics: { start, end: start + 1, prompt_tokens: 2 ** 31 - 1 } },
      ]);
      expect(outcome).toBe("committed");
      const trace = (await store.getTrace("agent"))!;
      expect(trace.prompt_tokens).toBe(2 * (2 ** 31 - 1));
      expect(typeof trace.total_tokens).toBe("number");
    });
  });
}
