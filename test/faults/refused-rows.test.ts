// Rows the database could refuse, sent through the public API on each backend: what is answered
// 2xx is readable afterwards, anything else is named in the answer, and one bad row stops nobody.
import { describe, expect, test } from "bun:test";
import { storageBackends } from "../harness/backends.ts";
import { serverOn } from "../harness/server-on-backend.ts";

const now = Math.floor(Date.now() / 1000);
const MAX_INT = 2 ** 31 - 1;

const span = (id: string, trace: string, metrics: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id,
  root_span_id: trace,
  span_attributes: { name: id, type: "llm" },
  metrics: { start: now, end: now + 1, ...metrics },
  ...extra,
});

for (const backend of storageBackends()) {
  describe(`refused rows on ${backend.name}`, () => {
    const kalmia = serverOn(backend);

    const trace = (id: string) => fetch(`${kalmia().url}/api/v1/traces/${encodeURIComponent(id)}`);

    test("two spans of one trace at the largest token counts are both stored, the trace's sums exact past 2^31", async () => {
      const response = await kalmia().post("/api/v1/spans", {
        project: "max-ints",
        rows: [span("a", "max-sum", { prompt_tokens: MAX_INT, completion_tokens: MAX_INT }), span("b", "max-sum", { prompt_tokens: MAX_INT, tokens: MAX_INT })],
      });
      expect(response.status).toBe(200);
      const stored: any = await (await trace("max-sum")).json();
      expect(stored.spans.map((s: any) => s.id).sort()).toEqual(["a", "b"]);
      expect(stored.prompt_tokens).toBe(2 * MAX_INT);
      expect(stored.total_tokens).toBe(2 * MAX_INT);
    });

    test("values no column holds are refused before they are acknowledged, each named by its field", async () => {
      const response = await kalmia().post("/api/v1/spans", {
        project: "bounds",
        rows: [
          span("cost", "bounds-1", { cost_usd: 1e308 }),
          span("ttft", "bounds-2", { time_to_first_token: 1e306 }),
          span("tokens", "bounds-3", { tokens: 2 ** 31 }),
          span("long-trace", "bounds-4", {}, { trace_id: "t".repeat(20_000) }),
          span("fine", "bounds-5"),
        ],
      });
      expect(response.status).toBe(207);
      const body: any = await response.json();
      expect(body.accepted).toBe(1);
      expect(body.errors.map((e: any) => e.path)).toEqual([
        "rows[0].metrics.cost_usd",
        "rows[1].metrics.time_to_first_token",
        "rows[2].metrics.tokens",
        "rows[3].trace_id",
      ]);
      expect((await trace("bounds-5")).status).toBe(200);
    });

    test("a trace whose metrics.start is 1e20 is refused with a 400 naming it, and writes go on", async () => {
      const bad = await kalmia().post("/api/v1/traces/ingest", { id: "far-future", metrics: { start: 1e20 }, spans: [] });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).errors[0].path).toBe("$.metrics.start");
      const good = await kalmia().post("/api/v1/traces/ingest", { id: "after-far-future", spans: [span("s", "after-far-future")] });
      expect(good.status).toBe(200);
      expect((await trace("after-far-future")).status).toBe(200);
    });

    test("a NUL or an unpaired surrogate in a project name is a 400 naming it, on every path", async () => {
      for (const project of ["a\u0000b", "x\ud800y", "p".repeat(201)]) {
        const spans = await kalmia().post("/api/v1/spans", { project, rows: [span("p", "bad-project")] });
        expect(spans.status).toBe(400);
        expect(((await spans.json()) as any).error.message).toStartWith("project ");
        const ingest = await kalmia().post("/api/v1/traces/ingest", { id: "bad-project", project_id: project });
        expect(ingest.status).toBe(400);
        expect(((await ingest.json()) as any).errors[0].path).toBe("$.project_id");
      }
      const otlp = await kalmia().post("/api/v1/otel/v1/traces", { resourceSpans: [] }, { "x-kalmia-project": "p".repeat(201) });
      expect(otlp.status).toBe(400);
      expect(await otlp.text()).toContain("x-kalmia-project");
      expect((await trace("bad-project")).status).toBe(404);
    });

    test("an end before the start across two rows is stored ending at its start, with a warning, never a negative duration", async () => {
      await kalmia().post("/api/v1/spans", { project: "order", rows: [{ id: "late", root_span_id: "late", metrics: { start: now } }] });
      const response = await kalmia().post("/api/v1/spans", { project: "order", rows: [{ id: "late", root_span_id: "late", metrics: { end: now - 100 } }] });
      expect(response.status).toBe(200);
      const stored: any = await (await trace("late")).json();
      expect(stored.duration_ms === null || stored.duration_ms >= 0).toBe(true);
      expect(stored.spans[0].metrics.end).toBe(stored.spans[0].metrics.start);
      expect(stored.spans[0].metadata.kalmia_warnings).toEqual([expect.stringContaining("before metrics.start")]);
    });

    test("a row only the database can refuse is reported by the server's own writer (on Postgres across its thread) with its reason", async () => {
      const huge = Array.from({ length: 500 }, () => crypto.randomUUID()).join("");
      const outcome = await kalmia().writer.enqueue("writer-refusal", "sdk", [
        { id: "kept", root_span_id: "writer-refusal" },
        { id: "too-big", root_span_id: huge },
        // A value that throws as it is serialised (here its toJSON): a fault of this row alone.
        { id: "no-json", root_span_id: "writer-refusal", input: { toJSON: () => { throw new RangeError("cannot serialise"); } } },
      ]);
      expect(outcome).toMatchObject({
        rejected: [
          { kind: "span", index: 1, id: "too-big", code: "54000" },
          { kind: "span", index: 2, id: "no-json", code: "internal" },
        ],
      });
      const stored: any = await (await trace("writer-refusal")).json();
      expect(stored.spans.map((s: any) => s.id)).toEqual(["kept"]);
    });

    test("the README's example sent by 40 projects at once keeps 40 traces, each with its own span-1", async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          kalmia().post("/api/v1/traces/ingest", {
            id: `readme-${backend.name}-${i}`,
            project_id: `readme-project-${i}`,
            spans: [{ id: "span-1", span_id: "span-1", root_span_id: "span-1", span_attributes: { name: "llm", type: "llm" }, metadata: { mine: i }, metrics: { start: now, end: now + 1, prompt_tokens: i + 1 } }],
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
      for (let i = 0; i < 40; i++) {
        const stored: any = await (await trace(`readme-${backend.name}-${i}`)).json();
        expect(stored.project).toBe(`readme-project-${i}`);
        expect(stored.spans).toHaveLength(1);
        expect(stored.spans[0].metadata.mine).toBe(i);
        expect(stored.prompt_tokens).toBe(i + 1);
      }
    });
  });
}
