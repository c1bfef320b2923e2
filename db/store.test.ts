import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../test/harness/backends.ts";
import { listTraces, type PageKey } from "./query/list-traces.ts";
import type { SpanRowInput } from "./write/span-row.ts";
import { openStore, type Store } from "./store.ts";
import { createWriter, type WriteOutcome, type Writer } from "./write/writer.ts";

const now = Date.now() / 1000;

function row(id: string, trace: string, extra: Partial<SpanRowInput> = {}): SpanRowInput {
  return { id, root_span_id: trace, span_attributes: { name: id, type: "task" }, ...extra };
}

async function count(store: Store, table: "spans" | "traces" | "experiments" | "projects") {
  const [r] = await store.database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
  return Number(r!.n);
}

// One suite, run on every backend: PGlite always, real Postgres where the
// test command started one (always in CI).
for (const backend of storageBackends()) {
  describe(`storage on ${backend.name}`, () => {
    let store: Store;
    let writer: Writer;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({
        databaseUrl: prepared.env.DATABASE_URL,
        dataDir: prepared.env.KALMIA_DATA_DIR ?? "",
      });
      writer = createWriter({ db: store.db, projects: store.projects, log: () => {} });
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("100 concurrent first sightings of a project make exactly one experiment", async () => {
      const ids = await Promise.all(Array.from({ length: 100 }, () => store.projects.resolve("race")));
      const fresh = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const { ensureProject } = await import("./write/projects.ts");
          return ensureProject(store.db, "race-uncached");
        }),
      );
      expect(new Set(ids.map((i) => i.experimentId)).size).toBe(1);
      expect(new Set(fresh.map((i) => i.experimentId)).size).toBe(1);
      const experiments = await store.listExperiments();
      expect(experiments.filter((e) => e.project === "race")).toHaveLength(1);
      expect(experiments.filter((e) => e.project === "race-uncached")).toHaveLength(1);
    });

    test("background rows arriving one by one within the linger are written in one transaction", async () => {
      const gathering = createWriter({ db: store.db, projects: store.projects, lingerMs: 300, concurrency: 3, log: () => {} });
      const writes: Promise<WriteOutcome>[] = [];
      for (let i = 0; i < 5; i++) {
        writes.push(gathering.enqueue("linger", "proxy", [row(`linger-${i}`, `linger-${i}`)], [], { background: true }));
        await Bun.sleep(1);
      }
      expect(await Promise.all(writes)).toEqual(Array(5).fill("committed"));
      expect(gathering.stats()).toMatchObject({ commits: 1, committed_rows: 5 });
    });

    test("a write someone waits for ends the linger at once, taking the gathered rows with it", async () => {
      const gathering = createWriter({ db: store.db, projects: store.projects, lingerMs: 600_000, log: () => {} });
      const background = gathering.enqueue("linger", "proxy", [row("bg", "bg")], [], { background: true });
      await Bun.sleep(5);
      const awaited = gathering.enqueue("linger", "sdk", [row("fg", "fg")]);
      const within10s = (write: Promise<WriteOutcome>) => Promise.race([write, Bun.sleep(10_000).then(() => "still lingering")]);
      expect(await within10s(awaited)).toBe("committed");
      expect(await within10s(background)).toBe("committed");
      expect(gathering.stats()).toMatchObject({ commits: 1, committed_rows: 2 });
    });

    test("a row enqueued the moment the previous batch is settled is written too", async () => {
      // Each pair is enqueued in the continuation of the pair before, which (through Promise.all) runs
      // right after the writer's worker found its queue empty, before the worker was forgotten: a lost
      // wake-up there left the pair unwritten until some later row came along.
      const outcomes: WriteOutcome[] = [];
      for (let i = 0; i < 5; i++) {
        const pair = [writer.enqueue("wake", "sdk", [row(`w${i}a`, `w${i}a`)]), writer.enqueue("wake", "sdk", [row(`w${i}b`, `w${i}b`)])];
        outcomes.push(...(await Promise.all(pair)));
      }
      expect(outcomes).toEqual(Array(10).fill("committed"));
      const page = await store.listTraces({ projectId: (await store.projects.resolve("wake")).projectId }, 20);
      expect(page.traces).toHaveLength(10);
    });

    test("a span sent at start and again at end is one span with both halves merged", async () => {
      await writer.enqueue("merge", "sdk", [
        row("m1", "m1", { input: "question", metrics: { start: now }, metadata: { a: 1 } }),
      ]);
      await writer.enqueue("merge", "sdk", [
        row("m1", "m1", { output: "answer", metrics: { end: now + 2 }, metadata: { b: 2 } }),
      ]);
      const trace = await store.getTrace("m1");
      expect(trace!.spans).toHaveLength(1);
      const [span] = trace!.spans;
      expect(span!.input).toBe("question");
      expect(span!.output).toBe("answer");
      expect(span!.metadata).toEqual({ a: 1, b: 2 });
      expect(span!.status).toBe("ok");
      expect(trace!.status).toBe("ok");
      expect(trace!.duration_ms).toBeCloseTo(2000, 0);
      expect(trace!.input).toBe("question");
    });

    test("a late start row never turns a finished span back to running", async () => {
      await writer.enqueue("merge", "sdk", [row("late", "late", { metrics: { start: now, end: now + 1 } })]);
      await writer.enqueue("merge", "sdk", [row("late", "late", { metrics: { start: now } })]);
      const trace = await store.getTrace("late");
      expect(trace!.spans[0]!.status).toBe("ok");
      expect(trace!.status).toBe("ok");
    });

    test("children may arrive before their root, and the summary follows the spans", async () => {
      await writer.enqueue("order", "sdk", [
        row("child", "root", {
          span_parents: ["root"],
          span_attributes: { name: "llm call", type: "llm" },
          metadata: { provider: "openai", model: "gpt-4o" },
          metrics: { start: now + 1, end: now + 2, prompt_tokens: 7, completion_tokens: 3 },
        }),
      ]);
      let trace = await store.getTrace("root");
      expect(trace!.span_count).toBe(1);
      await writer.enqueue("order", "sdk", [
        row("root", "root", { input: "go", output: "done", metrics: { start: now, end: now + 3 } }),
      ]);
      trace = await store.getTrace("root");
      expect(trace!.span_count).toBe(2);
      expect(trace!.input).toBe("go");
      expect(trace!.output).toBe("done");
      expect(trace!.provider).toBe("openai");
      expect(trace!.model).toBe("gpt-4o");
      expect(trace!.total_tokens).toBe(10);
      expect(trace!.status).toBe("ok");
    });

    test("duplicate ids in one batch collapse before the upsert", async () => {
      const rows = [
        row("dup", "dup", { input: "first", metrics: { start: now } }),
        row("dup", "dup", { output: "second", metrics: { end: now + 1 } }),
        row("dup", "dup", { metadata: { third: true } }),
      ];
      await writer.enqueue("dups", "sdk", rows);
      const trace = await store.getTrace("dup");
      expect(trace!.spans).toHaveLength(1);
      expect(trace!.spans[0]).toMatchObject({ input: "first", output: "second", metadata: { third: true }, status: "ok" });
    });

    test("a batch larger than one statement takes is split and stored whole", async () => {
      const rows = Array.from({ length: 7_000 }, (_, i) =>
        row(`big-${i}`, `big-trace-${i % 50}`, { input: { i }, metrics: { start: now, end: now + 1 } }),
      );
      const big = createWriter({ db: store.db, projects: store.projects, batchRows: 10_000, log: () => {} });
      expect(await big.enqueue("big", "sdk", rows)).toBe("committed");
      const [r] = await store.database.rows<{ n: number }>(
        sql`select count(*)::int as n from spans where id like 'big-%'`,
      );
      expect(Number(r!.n)).toBe(7_000);
      const page = await store.listTraces({ projectId: (await store.projects.resolve("big")).projectId }, 500);
      expect(page.traces).toHaveLength(50);
      expect(page.traces.every((t) => t.span_count === 140)).toBe(true);
    });

    test("a row the database refuses is set aside, named with its reason, and its batch mates are stored", async () => {
      const rows = [
        row("ok-1", "bad-batch", { metrics: { start: now } }),
        // Too large for an index entry: only the database can say so.
        row("too-big", Array.from({ length: 500 }, () => crypto.randomUUID()).join("")),
        row("ok-2", "bad-batch", { metrics: { start: now } }),
      ];
      const outcome = await writer.enqueue("bad", "sdk", rows);
      expect(outcome).toMatchObject({ rejected: [{ kind: "span", index: 1, id: "too-big", code: "54000" }] });
      const trace = await store.getTrace("bad-batch");
      expect(trace!.spans.map((s) => s.id).sort()).toEqual(["ok-1", "ok-2"]);
      expect(writer.stats().rejected_rows).toBe(1);
    });

    test("after a commit the listener gets the merged spans and the touched traces", async () => {
      const seen: { traces: string[]; spans: any[] } = { traces: [], spans: [] };
      const live = createWriter({
        db: store.db,
        projects: store.projects,
        wantsSpans: () => true,
        onCommit: (traceIds, spans) => {
          seen.traces.push(...traceIds);
          seen.spans.push(...spans);
        },
      });
      await live.enqueue("live", "sdk", [row("lv", "lv", { input: "in", metrics: { start: now } })]);
      await live.enqueue("live", "sdk", [row("lv", "lv", { output: "out", metrics: { end: now + 1 } })]);
      expect(seen.traces).toEqual(["lv", "lv"]);
      const last = seen.spans.at(-1);
      expect(last).toMatchObject({ id: "lv", input: "in", output: "out", status: "ok" });
      expect(last.startTime.getTime()).toBeCloseTo(now * 1000, -1);
      expect(last.endTime.getTime()).toBeCloseTo((now + 1) * 1000, -1);
    });

    test.if(backend.name === "postgres")("its Postgres connections compile no statement (JIT off: with ~50 day partitions a batch took a second)", async () => {
      const [setting] = await store.database.rows<{ jit: string }>(sql`show jit`);
      expect(setting!.jit).toBe("off");
    });

    test("re-sending the same ids updates rows and never duplicates them", async () => {
      const before = { spans: await count(store, "spans"), traces: await count(store, "traces") };
      await writer.enqueue("merge", "sdk", [row("m1", "m1", { output: "answer v2" })]);
      expect(await count(store, "spans")).toBe(before.spans);
      expect(await count(store, "traces")).toBe(before.traces);
      expect((await store.getTrace("m1"))!.output).toBe("answer v2");
    });

    test("filters narrow the list and the cursor walks it without repeats", async () => {
      const project = "filters";
      for (let i = 0; i < 30; i++) {
        await writer.enqueue(project, "sdk", [
          row(`f-${i}`, `f-${i}`, {
            span_attributes: { name: i % 2 ? "odd run" : "even run", type: "llm" },
            metadata: { provider: i % 3 ? "openai" : "anthropic", model: "m" },
            error: i === 7 ? "boom" : undefined,
            metrics: { start: now + i, end: now + i + 1 },
          }),
        ]);
      }
      const projectId = (await store.projects.resolve(project)).projectId;
      const anthropic = await store.listTraces({ projectId, provider: "anthropic" }, 100);
      expect(anthropic.traces).toHaveLength(10);
      const errors = await store.listTraces({ projectId, status: "error" }, 100);
      expect(errors.traces.map((t) => t.id)).toEqual(["f-7"]);
      await store.searchIndexer.catchUp();
      const odd = await store.listTraces({ projectId, q: "ODD" }, 100);
      expect(odd.traces).toHaveLength(15);
      const seen: string[] = [];
      let after: PageKey | undefined;
      for (;;) {
        const page = await store.listTraces({ projectId }, 7, { sort: "start_time", order: "desc", after });
        seen.push(...page.traces.map((t) => t.id));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
      expect(seen[0]).toBe("f-29");
    });

    test("a count past its bound is the database's estimate, flagged, never below the bound", async () => {
      const projectId = (await store.projects.resolve("filters")).projectId;
      const newest = { sort: "start_time", order: "desc" } as const;
      expect(await listTraces(store.db, { projectId }, 5, newest, 30)).toMatchObject({ total: 30, totalIsEstimate: false });
      const estimated = await listTraces(store.db, { projectId }, 5, newest, 10);
      expect(estimated.totalIsEstimate).toBe(true);
      expect(estimated.total).toBeGreaterThanOrEqual(11);
      expect(estimated.traces).toHaveLength(5);
    });
  });
}
