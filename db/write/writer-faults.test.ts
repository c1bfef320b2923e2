import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import type { SpanRowInput } from "./span-row.ts";
import { openStore, type Store } from "../store.ts";
import { createWriter, rejectionsOf, type Writer } from "./writer.ts";

const now = Date.now() / 1000;

function row(id: string, trace: string, extra: Partial<SpanRowInput> = {}): SpanRowInput {
  return { id, root_span_id: trace, span_attributes: { name: id, type: "task" }, ...extra };
}

/** A value nested `depth` levels deep, as a proxied body of `{"a":{"a":...}}` parses to. */
function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

for (const backend of storageBackends()) {
  describe(`the writer's faults on ${backend.name}`, () => {
    let store: Store;
    let writer: Writer;
    let cleanup: () => Promise<void>;
    const logged: string[] = [];

    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      store = await openStore({ databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" });
      writer = createWriter({ db: store.db, projects: store.projects, log: (m) => logged.push(m) });
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    test("a row that cannot even become a statement is rejected with its reason, its batch mates are stored, and later writes go on", async () => {
      // Building the batch's statement throws (as JSON.stringify did for a body nested 100,000
      // deep): an error without a SQLSTATE, while the database is fine.
      const poisoned = row("poisoned", "poison-trace", { input: { toJSON: () => { throw new RangeError("Maximum call stack size exceeded"); } } });
      const writes = [
        writer.enqueue("poison", "sdk", [row("fine-1", "poison-trace", { metrics: { start: now } }), poisoned]),
        writer.enqueue("other-project", "sdk", [row("bystander", "bystander-trace")]),
      ];
      const [outcome, bystander] = await Promise.all(writes);
      expect(rejectionsOf(outcome!)).toEqual([{ kind: "span", index: 1, id: "poisoned", code: "internal", reason: "RangeError: Maximum call stack size exceeded" }]);
      expect(bystander).toBe("committed");
      expect((await store.getTrace("poison-trace"))!.spans.map((s) => s.id)).toEqual(["fine-1"]);
      expect(await writer.enqueue("poison", "sdk", [row("after", "after-trace")])).toBe("committed");
      expect(await store.getTrace("after-trace")).not.toBeNull();
    });

    test("a price table that throws for one span's model rejects that span alone, named, and the writer goes on", async () => {
      const pricing = createWriter({
        db: store.db,
        projects: store.projects,
        pricing: {
          costOf: ({ model }) => {
            if (model === "explodes") throw new TypeError("no price for explodes");
            return 0.5;
          },
          familyOf: (_provider, model) => model,
        },
        log: () => {},
      });
      const outcome = await pricing.enqueue("pricing", "sdk", [
        row("priced", "pricing-trace", { metadata: { model: "gpt-4o" } }),
        row("unpriceable", "pricing-trace", { metadata: { model: "explodes" } }),
      ]);
      expect(rejectionsOf(outcome)).toEqual([{ kind: "span", index: 1, id: "unpriceable", code: "internal", reason: "TypeError: no price for explodes" }]);
      expect((await store.getTrace("pricing-trace"))!.spans.map((s) => s.id)).toEqual(["priced"]);
    });

    test("a BigInt (a decoder's 64-bit integer) is stored as its decimal string, with a warning", async () => {
      const outcome = await writer.enqueue("bigint", "ingest", [row("big-int", "bigint-trace", { input: { n: 2n ** 70n } as unknown })]);
      expect(outcome).toBe("committed");
      const [span] = (await store.getTrace("bigint-trace"))!.spans;
      expect(span!.input).toEqual({ n: (2n ** 70n).toString() });
      expect(span!.metadata!.kalmia_warnings).toEqual([expect.stringContaining("BigInt")]);
    });

    test("the log line and last_error of a refused row give the SQLSTATE and the row's id, never the SQL or its values", async () => {
      const secret = `secret-${crypto.randomUUID()}`;
      const huge = Array.from({ length: 500 }, () => crypto.randomUUID()).join("");
      const outcome = await writer.enqueue("refused", "sdk", [row("refused-row", huge, { input: secret })]);
      expect(rejectionsOf(outcome)).toMatchObject([{ id: "refused-row", code: "54000" }]);
      const line = logged.findLast((m) => m.includes("set aside"))!;
      expect(line).toContain("54000");
      expect(line).toContain('"refused-row"');
      for (const text of [line, writer.stats().last_error!]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(huge.slice(0, 40));
        expect(text.toLowerCase()).not.toContain("insert into");
      }
    });

    test("a proxied body nested 100,000 levels deep is stored cut at 64 levels, with a warning, and never jams the writer", async () => {
      const deep = row("deep-span", "deep-trace", { input: nested(100_000), metrics: { start: now, end: now + 1 } });
      const outcome = await writer.enqueue("deep", "proxy", [deep], [], { background: true });
      expect(outcome).toBe("committed");
      const [span] = (await store.getTrace("deep-trace"))!.spans;
      expect(JSON.stringify(span!.input)).toContain("[cut: nested deeper than 64 levels]");
      expect(span!.metadata!.kalmia_warnings).toEqual([expect.stringContaining("nested deeper than 64 levels")]);
    });

    test("NUL characters, unpaired surrogates and numbers no column holds are cleaned or left out, never lose the span", async () => {
      const odd = row("odd-span", "odd-trace", {
        output: { text: "a\u0000b", bad: "x\ud800y" },
        metrics: { start: 1e20, end: now, prompt_tokens: 2 ** 40, time_to_first_token: 1e306, cost_usd: 1e308 },
      });
      expect(await writer.enqueue("odd", "proxy", [odd], [], { background: true })).toBe("committed");
      const [span] = (await store.getTrace("odd-trace"))!.spans;
      expect(span!.output).toEqual({ text: "a\uFFFDb", bad: "x\uFFFDy" });
      expect(span!.metadata!.kalmia_warnings).toHaveLength(5);
    });

    test("one span id in 40 traces of 40 projects, written at once, is 40 spans, each with its own trace's tokens", async () => {
      const many = createWriter({ db: store.db, projects: store.projects, concurrency: 3, log: () => {} });
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          many.enqueue(`readme-${i}`, "ingest", [
            { id: "span-1", span_id: "span-1", root_span_id: "span-1", trace_id: `readme-trace-${i}`, metrics: { start: now, end: now + 1, prompt_tokens: i + 1 }, metadata: { project: i } },
          ], [{ id: `readme-trace-${i}` }]),
        ),
      );
      expect(outcomes.every((o) => o === "committed")).toBe(true);
      for (let i = 0; i < 40; i++) {
        const trace = (await store.getTrace(`readme-trace-${i}`))!;
        expect(trace.spans).toHaveLength(1);
        expect(trace.spans[0]!.metadata).toEqual({ project: i });
        expect(trace.prompt_tokens).toBe(i + 1);
      }
    });

    test("an end before the start across two rows is stored as a span ending where it starts, with a warning, never a negative duration", async () => {
      // Each row is right alone; merged (in one batch, or with what is stored) the end is first.
      await writer.enqueue("order", "sdk", [row("late-end", "late-end", { metrics: { start: now + 100 } })]);
      await writer.enqueue("order", "sdk", [row("late-end", "late-end", { metrics: { end: now } })]);
      await writer.enqueue("order", "sdk", [
        row("same-batch", "same-batch", { metrics: { start: now + 100 } }),
        row("same-batch", "same-batch", { metrics: { end: now } }),
      ]);
      for (const id of ["late-end", "same-batch"]) {
        const trace = (await store.getTrace(id))!;
        expect(trace.duration_ms === null || trace.duration_ms >= 0).toBe(true);
        const [span] = trace.spans;
        expect(span!.metrics.end).toBe(span!.metrics.start);
        expect(span!.metadata!.kalmia_warnings).toEqual([expect.stringContaining("before metrics.start")]);
      }
    });

    test("two spans at the largest token counts sum to a trace that is stored with the exact sums, not refused", async () => {
      const max = 2 ** 31 - 1;
      const outcome = await writer.enqueue("sums", "sdk", [
        row("big-a", "big-sums", { metrics: { start: now, end: now + 1, prompt_tokens: max, completion_tokens: max } }),
        row("big-b", "big-sums", { metrics: { start: now, end: now + 1, prompt_tokens: max, cost_usd: 1e9 } }),
      ]);
      expect(outcome).toBe("committed");
      const trace = (await store.getTrace("big-sums"))!;
      expect(trace.spans).toHaveLength(2);
      expect(trace.prompt_tokens).toBe(2 * max);
      expect(trace.total_tokens).toBe(2 * max);
      expect(trace.cost_usd).toBe(1e9);
    });
  });
}
