import assert from "node:assert/strict";
import { currentSpan, flush, initLogger, traced } from "../src/index.ts";
import { getTrace, listTraces } from "./support/kalmia-api.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();

/** A trace's scores once `count` are stored (feedback goes out in the background), by name then span. */
async function scoresOf(baseUrl: string, traceId: string, count: number): Promise<any[]> {
  await flush({ timeoutMs: 5000 });
  for (let i = 0; i < 200; i++) {
    const scores = (await getTrace(baseUrl, traceId))?.scores ?? [];
    if (scores.length >= count) return [...scores].sort((a: any, b: any) => `${a.name}${a.span_id}`.localeCompare(`${b.name}${b.span_id}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (await getTrace(baseUrl, traceId))?.scores ?? [];
}

test("span.log({ scores }) stores the span's scores, merged across logs, as ingested scores (they ride on its span rows)", async () => {
  fx.project("scores-log");
  const run = traced(async () => {
    await traced({ name: "retrieve", type: "tool" }, async (span) => {
      span.log({ output: ["doc-1"], scores: { recall: 0.5 } });
      span.log({ scores: { precision: 1, broken: Number.NaN } });
    });
    currentSpan().log({ scores: { relevance: 0.75 } });
    return "Paris";
  }, { name: "answer" });
  await run();
  const [trace] = await fx.traces(1);
  const retrieve = trace!.spans.find((s) => s.name === "retrieve")!;
  const scores = await scoresOf(fx.kalmiaUrl(), trace!.id, 3);
  assert.deepEqual(scores.map((s) => [s.name, s.span_id, s.value, s.source]), [
    ["precision", retrieve.id, 1, "ingest"],
    ["recall", retrieve.id, 0.5, "ingest"],
    ["relevance", trace!.id, 0.75, "ingest"],
  ]);
});

test("logger.logFeedback({ id: currentSpan().id }) scores the trace or the span later, comment and metadata included", async () => {
  const project = fx.project("scores-feedback");
  const logger = initLogger({ projectName: project, baseUrl: fx.kalmiaUrl() });
  const kept: Record<string, string> = {};
  const chat = traced(async () => {
    kept.root = currentSpan().id;
    await traced({ name: "tool-call", type: "tool" }, async () => {
      kept.child = currentSpan().id;
    });
    return "answer";
  }, { name: "chat" });
  await chat();
  logger.logFeedback({ id: kept.root!, scores: { user_feedback: 0 }, comment: "wrong city", metadata: { user: "u-1" } });
  logger.logFeedback({ id: kept.child!, scores: { tool_ok: 1 } });
  const [trace] = await fx.traces(1);
  assert.equal(trace!.id, kept.root);
  const byName = Object.fromEntries((await scoresOf(fx.kalmiaUrl(), trace!.id, 2)).map((s) => [s.name, s]));
  assert.equal(byName.user_feedback.span_id, null);
  assert.equal(byName.user_feedback.value, 0);
  assert.equal(byName.user_feedback.comment, "wrong city");
  assert.deepEqual(byName.user_feedback.metadata, { user: "u-1" });
  assert.equal(byName.tool_ok.span_id, kept.child);
  const [listed] = (await listTraces(fx.kalmiaUrl(), project)) as any[];
  assert.deepEqual(listed.scores, { user_feedback: 0, tool_ok: 1 });
});

test("feedback the server refuses, or that is malformed, never throws into the app", async () => {
  const logger = initLogger({ projectName: fx.project("scores-refused"), baseUrl: fx.kalmiaUrl() });
  logger.logFeedback({ id: "no-such-span", scores: { x: "high" as unknown as number } });
  logger.logFeedback(undefined as never);
  const result = await flush({ timeoutMs: 5000 });
  assert.equal(result.flushed, true);
  assert.ok(result.dropped >= 1);
});
