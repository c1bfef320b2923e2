// Scores as a user of the API meets them (issue 23), on each backend: given, updated by id, deleted,
// as labels and on spans, before their trace, refused field by field, and read back on the trace,
// in the list (means and filters) and in the facets.
import { describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import postgres from "postgres";
import { serverOn } from "../../test/harness/server-on-backend.ts";
import { startInProcess } from "../../test/harness/in-process.ts";

const now = Math.floor(Date.now() / 1000);
const llm = (id: string, extra: Record<string, unknown> = {}) => ({
  id, span_id: id, root_span_id: id, span_attributes: { name: id, type: "llm" }, metrics: { start: now - 5, end: now - 4 }, ...extra,
});

for (const backend of storageBackends()) {
  describe(`scores on ${backend.name}`, () => {
    const kalmia = serverOn(backend);
    const post = async (body: unknown) => {
      const response = await kalmia().post("/api/v1/scores", body);
      return { status: response.status, body: (await response.json()) as any };
    };
    const trace = (id: string) => kalmia().getJson(`/api/v1/traces/${id}`);
    const ingest = async (body: unknown) => expect((await kalmia().post("/api/v1/traces/ingest", body)).status).toBe(200);

    test("back-to-back posts and deletes of many scores leave no deleted score behind, and a score posted again after its delete stays", async () => {
      await ingest({ id: "sc-pairs", project_id: "scored", spans: [llm("sc-pairs")] });
      const del = (id: string) => fetch(`${kalmia().url}/api/v1/scores/${id}`, { method: "DELETE" }).then((r) => r.status);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        statuses.push((await post({ id: `pair-${i}`, trace_id: "sc-pairs", name: "pairs", value: i })).status, await del(`pair-${i}`));
        if (i % 4 === 0) statuses.push((await post({ id: `pair-${i}`, trace_id: "sc-pairs", name: "pairs", value: 1000 + i })).status);
      }
      expect(new Set(statuses)).toEqual(new Set([200]));
      const left = (await trace("sc-pairs")).scores.map((s: any) => [s.id, s.value]);
      expect(left).toEqual(Array.from({ length: 10 }, (_, k) => [`pair-${k * 4}`, 1000 + k * 4]));
    });

    test("a score without an id gets one, is returned on its trace, and the same id updates it (a thumbs-up flipped to down is one score)", async () => {
      await ingest({ id: "sc-1", project_id: "scored", spans: [llm("sc-1")] });
      const made = await post({ trace_id: "sc-1", name: "user_feedback", value: 1, comment: "great" });
      expect(made.status).toBe(200);
      expect(made.body.id).toEqual(expect.any(String));
      const again = await post({ id: made.body.id, trace_id: "sc-1", name: "user_feedback", value: 0, comment: "wrong after all", source: "ui", author: "ana" });
      expect(again).toEqual({ status: 200, body: { accepted: 1, id: made.body.id } });
      const { scores } = await trace("sc-1");
      expect(scores).toHaveLength(1);
      expect(scores[0]).toMatchObject({ id: made.body.id, trace_id: "sc-1", span_id: null, name: "user_feedback", value: 0, label: null, comment: "wrong after all", source: "ui", author: "ana" });
    });

    test("label scores and span scores are kept apart from the trace's own, and a delete removes one", async () => {
      await ingest({ id: "sc-2", project_id: "scored", spans: [llm("sc-2"), { ...llm("sc-2-tool"), root_span_id: "sc-2", span_parents: ["sc-2"] }] });
      const label = await post({ id: "sc-2-label", trace_id: "sc-2", name: "verdict", label: "hallucination" });
      const span = await post({ id: "sc-2-span", trace_id: "sc-2", span_id: "sc-2-tool", name: "tool_ok", value: 1 });
      expect([label.status, span.status]).toEqual([200, 200]);
      const scores = (await trace("sc-2")).scores;
      expect(scores.map((s: any) => [s.id, s.span_id, s.value, s.label])).toEqual([
        ["sc-2-label", null, null, "hallucination"],
        ["sc-2-span", "sc-2-tool", 1, null],
      ]);
      const deleted = await fetch(`${kalmia().url}/api/v1/scores/sc-2-label`, { method: "DELETE" });
      expect(deleted.status).toBe(200);
      expect((await trace("sc-2")).scores.map((s: any) => s.id)).toEqual(["sc-2-span"]);
      expect((await fetch(`${kalmia().url}/api/v1/scores/sc-2-label`, { method: "DELETE" })).status).toBe(404);
    });

    test("a score sent before its trace is there once the trace arrives, in the trace's project", async () => {
      expect((await post({ trace_id: "sc-early", name: "accuracy", value: 0.25 })).status).toBe(200);
      await ingest({ id: "sc-early", project_id: "early-project", spans: [llm("sc-early")] });
      expect((await trace("sc-early")).scores).toEqual([expect.objectContaining({ name: "accuracy", value: 0.25 })]);
      const listed = await kalmia().getJson("/api/v1/traces?project=early-project");
      expect(listed.traces[0].scores).toEqual({ accuracy: 0.25 });
      // Moved into the trace's project as the trace came: the project's score filter and facets find it.
      const filtered = await kalmia().getJson("/api/v1/traces?project=early-project&score_name=accuracy&score_max=0.5");
      expect(filtered.traces.map((t: any) => t.id)).toEqual(["sc-early"]);
      expect((await kalmia().getJson("/api/v1/facets?project=early-project")).scores).toEqual([{ value: "accuracy", count: 1 }]);
      // A score naming another project for a stored trace still belongs to the trace's.
      expect((await post({ trace_id: "sc-early", project: "elsewhere", name: "accuracy", value: 0.75 })).status).toBe(200);
      expect((await kalmia().getJson("/api/v1/traces?project=early-project")).traces[0].scores).toEqual({ accuracy: 0.5 });
    });

    test.each([
      ["no name", { trace_id: "t", value: 1 }, "name", "is required"],
      ["a 201-character name", { trace_id: "t", name: "x".repeat(201), value: 1 }, "name", "longer than 200"],
      ["no trace_id", { name: "n", value: 1 }, "trace_id", "is required"],
      ["neither value nor label", { trace_id: "t", name: "n" }, "value", "is required"],
      ["a value that is text", { trace_id: "t", name: "n", value: "high" }, "value", "finite number"],
      ["both value and label", { trace_id: "t", name: "n", value: 1, label: "good" }, "label", "left out"],
      ["a 201-character label", { trace_id: "t", name: "n", label: "l".repeat(201) }, "label", "longer than 200"],
      ["a 10,001-character comment", { trace_id: "t", name: "n", value: 1, comment: "c".repeat(10_001) }, "comment", "longer than 10000"],
      ["an unknown source", { trace_id: "t", name: "n", value: 1, source: "robot" }, "source", "must be one of"],
    ])("%s is refused with a 400 naming %s, and nothing is stored", async (_what, score, field, message) => {
      const answer = await post({ id: "refused", ...(score as object) });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].path).toBe(field);
      expect(answer.body.error.message).toContain(message as string);
      expect((await fetch(`${kalmia().url}/api/v1/scores/refused`, { method: "DELETE" })).status).toBe(404);
    });

    test("a mixed array stores the good scores and names the bad one (207)", async () => {
      await ingest({ id: "sc-3", project_id: "scored", spans: [llm("sc-3")] });
      const answer = await post([
        { id: "sc-3-a", trace_id: "sc-3", name: "relevance", value: 0.5 },
        { id: "sc-3-b", trace_id: "sc-3", name: "relevance", value: Number.NaN },
        { trace_id: "sc-3", name: "relevance", value: 1 },
      ]);
      // NaN becomes null in JSON: a value is required.
      expect(answer.status).toBe(207);
      expect(answer.body.accepted).toBe(2);
      expect(answer.body.errors).toEqual([expect.objectContaining({ index: 1, id: "sc-3-b", path: "[1].value" })]);
      expect(answer.body.ids).toEqual(["sc-3-a", null, expect.any(String)]);
      expect((await trace("sc-3")).scores.map((s: any) => s.value).sort()).toEqual([0.5, 1]);
    });

    test("Braintrust scores on an ingested trace, its spans and span rows are stored with source ingest, once however often sent", async () => {
      const body = { id: "sc-4", project_id: "scored", scores: { factuality: 0.75 }, spans: [llm("sc-4", { scores: { toxicity: 0, skipped: null } })] };
      await ingest(body);
      await ingest(body);
      const rows = await kalmia().post("/api/v1/spans", { project: "scored", rows: [llm("sc-5", { scores: { helpful: 1 } })] });
      expect(rows.status).toBe(200);
      const ingested = (await trace("sc-4")).scores.map((s: any) => [s.name, s.span_id, s.value, s.source]).sort();
      expect(ingested).toEqual([["factuality", null, 0.75, "ingest"], ["toxicity", "sc-4", 0, "ingest"]]);
      expect((await trace("sc-5")).scores).toEqual([expect.objectContaining({ name: "helpful", span_id: "sc-5", value: 1, source: "ingest" })]);
      const refused = await kalmia().post("/api/v1/spans", { rows: [llm("sc-6", { scores: { helpful: "yes" } })] });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as any).errors[0].path).toBe("rows[0].scores.helpful");
    });

    test("the list carries each trace's means and filters by a score's range or label; the facets name the scores", async () => {
      await ingest([
        { id: "sl-low", project_id: "listed", spans: [llm("sl-low")] },
        { id: "sl-high", project_id: "listed", spans: [llm("sl-high")] },
        { id: "sl-none", project_id: "listed", spans: [llm("sl-none")] },
      ]);
      expect((await post([
        { trace_id: "sl-low", name: "quality", value: 0.2 },
        { trace_id: "sl-low", span_id: "sl-low", name: "quality", value: 0.4 },
        { trace_id: "sl-high", name: "quality", value: 0.9 },
        { trace_id: "sl-high", name: "verdict", label: "good" },
      ])).status).toBe(200);
      const ids = async (query: string) => (await kalmia().getJson(`/api/v1/traces?project=listed&${query}`)).traces.map((t: any) => t.id).sort();
      const all = await kalmia().getJson("/api/v1/traces?project=listed");
      expect(Object.fromEntries(all.traces.map((t: any) => [t.id, t.scores]))).toEqual({
        "sl-low": { quality: expect.closeTo(0.3, 10) }, "sl-high": { quality: 0.9 }, "sl-none": {},
      });
      expect(await ids("score_name=quality")).toEqual(["sl-high", "sl-low"]);
      expect(await ids("score_name=quality&score_min=0.5")).toEqual(["sl-high"]);
      expect(await ids("score_name=quality&score_max=0.3")).toEqual(["sl-low"]);
      expect(await ids("score_name=verdict&score_label=good")).toEqual(["sl-high"]);
      expect((await kalmia().getJson("/api/v1/traces?project=listed&score_name=quality&score_min=0.5")).total).toBe(1);
      const bad = await fetch(`${kalmia().url}/api/v1/traces?score_name=quality&score_min=high`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).error.message).toContain("score_min");
      const facets = await kalmia().getJson("/api/v1/facets?project=listed");
      expect(facets.scores).toEqual([{ value: "quality", count: 3 }, { value: "verdict", count: 1 }]);
    });

    test("a score-filtered list's total counts each trace once, in a project and across all, and not a trace yet to come", async () => {
      await ingest([
        { id: "sn-a", project_id: "counted-a", spans: [llm("sn-a")] },
        { id: "sn-b", project_id: "counted-b", spans: [llm("sn-b")] },
      ]);
      expect((await post([
        // Two matching scores of one name on one trace: one trace.
        { trace_id: "sn-a", name: "grounded", value: 0.9 },
        { trace_id: "sn-a", span_id: "sn-a", name: "grounded", value: 0.8 },
        { trace_id: "sn-b", name: "grounded", value: 0.95 },
        // Before its trace: not listed, so not counted, until the trace comes.
        { trace_id: "sn-later", project: "counted-a", name: "grounded", value: 1 },
      ])).status).toBe(200);
      const listed = async (query: string) => {
        const page = await kalmia().getJson(`/api/v1/traces?score_name=grounded&score_min=0.5&${query}`);
        return { ids: page.traces.map((t: any) => t.id).sort(), total: page.total, estimated: page.total_is_estimate };
      };
      expect(await listed("")).toEqual({ ids: ["sn-a", "sn-b"], total: 2, estimated: false });
      expect(await listed("project=counted-a")).toEqual({ ids: ["sn-a"], total: 1, estimated: false });
      // With another filter the count reads the traces: the same answer.
      expect(await listed("status=ok")).toEqual({ ids: ["sn-a", "sn-b"], total: 2, estimated: false });
      await ingest({ id: "sn-later", project_id: "counted-b", spans: [llm("sn-later")] });
      expect(await listed("")).toEqual({ ids: ["sn-a", "sn-b", "sn-later"], total: 3, estimated: false });
      // The early score moved into its trace's project as the trace came.
      expect(await listed("project=counted-b")).toEqual({ ids: ["sn-b", "sn-later"], total: 2, estimated: false });
      expect(await listed("project=counted-a")).toEqual({ ids: ["sn-a"], total: 1, estimated: false });
      // A second score of a name on a trace that had one, in a later request: still one trace.
      expect((await post({ trace_id: "sn-b", span_id: "sn-b", name: "grounded", value: 0.7 })).status).toBe(200);
      expect(await listed("")).toEqual({ ids: ["sn-a", "sn-b", "sn-later"], total: 3, estimated: false });
    });
  });
}

// A score acknowledged with 202 (its write still queued behind a database that does not answer in
// time) and then deleted or updated: the delete and the update wait for the queued write, so a
// deleted score never comes back and an older value never lands over a newer one. The database is
// held by a lock on the scores table from another connection: a real stall, not a stand-in.
for (const backend of storageBackends().filter((b) => b.name === "postgres")) {
  describe(`scores whose writes are still queued on ${backend.name}`, () => {
    test("a delete after a 202 answers 200 and the score stays deleted; an update after a 202 is the one kept", async () => {
      const prepared = await backend.prepare();
      const kalmia = await startInProcess(prepared.env);
      const sql = postgres(prepared.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        expect((await kalmia.post("/api/v1/traces/ingest", { id: "queued", project_id: "scored", spans: [llm("queued")] })).status).toBe(200);
        let unlock!: () => void;
        const unlocked = new Promise<void>((resolve) => (unlock = resolve));
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        const holding = sql.begin(async (tx) => {
          await tx`lock table scores in exclusive mode`;
          locked();
          await unlocked;
        });
        await isLocked;
        const ids = Array.from({ length: 8 }, (_, i) => `queued-${i}`);
        const posted = await Promise.all([
          ...ids.map((id) => kalmia.post("/api/v1/scores", { id, trace_id: "queued", name: "queued", value: 1 })),
          kalmia.post("/api/v1/scores", { id: "updated", trace_id: "queued", name: "flip", value: 1 }),
        ]);
        // Not written in the 10 s a request waits: queued (on disk in the journal).
        expect(posted.map((r) => r.status)).toEqual(posted.map(() => 202));
        const deletes = ids.map((id) => fetch(`${kalmia.url}/api/v1/scores/${id}`, { method: "DELETE" }));
        const update = kalmia.post("/api/v1/scores", { id: "updated", trace_id: "queued", name: "flip", value: 0 });
        await Bun.sleep(300);
        unlock();
        await holding;
        expect((await Promise.all(deletes)).map((r) => r.status)).toEqual(ids.map(() => 200));
        expect((await update).status).toBe(200);
        const { scores } = await kalmia.getJson("/api/v1/traces/queued");
        expect(scores.map((s: any) => [s.id, s.value])).toEqual([["updated", 0]]);
      } finally {
        await sql.end();
        await kalmia.stop();
        await prepared.cleanup();
      }
    }, 60_000);
  });
}
