import assert from "node:assert/strict";
import { test } from "../../test/support/runner.ts";
import { RecordingSpan } from "./span.ts";

function recorder() {
  const rows: Record<string, any>[] = [];
  return { rows, sink: { enqueue: (json: string) => void rows.push(JSON.parse(json)) } };
}

test("a span sends a start row and one end row in the span-row format", () => {
  const { rows, sink } = recorder();
  const root = new RecordingSpan({ name: "run \"quoted\"", type: "task", input: { q: 1 }, metadata: { a: 1 } }, sink);
  const child = new RecordingSpan({ name: "tool", type: "tool", parent: root }, sink);
  child.end({ output: "ok", metrics: { prompt_tokens: 3, skipped: undefined }, metadata: { b: 2 } });
  root.end({ error: new TypeError("bad"), status: "error" });
  root.end({ output: "ignored" });

  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0], {
    id: root.id, span_id: root.id, root_span_id: root.id, span_parents: [],
    span_attributes: { name: "run \"quoted\"", type: "task" }, input: { q: 1 }, metadata: { a: 1 }, metrics: { start: root.startTime },
  });
  assert.equal(rows[1].root_span_id, root.id);
  assert.deepEqual(rows[1].span_parents, [root.id]);
  assert.equal(rows[2].output, "ok");
  assert.deepEqual(rows[2].metadata, { b: 2 });
  assert.equal(rows[2].metrics.prompt_tokens, 3);
  assert.ok(!("skipped" in rows[2].metrics));
  assert.ok(rows[2].metrics.end >= child.startTime);
  assert.deepEqual(rows[3].error, { message: "bad", type: "TypeError" });
  assert.equal(rows[3].status, "error");
});

test("what is logged is frozen at log time; a log after the end is sent as a correction", () => {
  const { rows, sink } = recorder();
  const span = new RecordingSpan({ name: "s", type: "function" }, sink);
  const messages = [{ role: "user", content: "hi" }];
  span.log({ input: messages });
  messages.push({ role: "assistant", content: "later" });
  span.end();
  span.log({ metadata: { late: true } });
  assert.deepEqual(rows[1].input, [{ role: "user", content: "hi" }]);
  assert.deepEqual(rows[2].metadata, { late: true });
  assert.equal(rows[2].metrics, undefined);
});
