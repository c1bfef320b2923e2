import assert from "node:assert/strict";
import { currentSpan, traced, wrapOpenAI } from "../src/index.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();

test("100 traced runs at once never mix their spans", async () => {
  fx.project("concurrency");
  const client = wrapOpenAI(fx.openai());
  const RUNS = 100;
  const run = traced(async (n: number) => {
    const rootId = currentSpan().rootSpanId;
    // Interleave on purpose: random pauses, a streamed and a plain call, and a tool span in between.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: `run ${n}` }], stream: true });
    for await (const _ of stream) await new Promise((resolve) => setImmediate(resolve));
    await traced({ name: "tool", type: "tool" }, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
      span.log({ input: { n }, output: { n, root: currentSpan().rootSpanId } });
    });
    await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: `run ${n} again` }] });
    return { n, rootId };
  }, { name: "run", type: "task" });

  const results = await Promise.all(Array.from({ length: RUNS }, (_, n) => run(n)));
  assert.equal(new Set(results.map((r) => r.rootId)).size, RUNS);

  const traces = await fx.traces(RUNS);
  assert.equal(traces.length, RUNS);
  for (const trace of traces) {
    const root = trace.spans.find((s) => s.span_parents.length === 0)!;
    const n = root.input as number;
    const children = trace.spans.filter((s) => s !== root);
    assert.equal(trace.spans.length, 4, `trace of run ${n} has its own four spans`);
    for (const child of children) assert.deepEqual(child.span_parents, [root.id]);
    const llmInputs = children.filter((s) => s.type === "llm").map((s) => s.input[0].content).sort();
    assert.deepEqual(llmInputs, [`run ${n}`, `run ${n} again`]);
    const tool = children.find((s) => s.type === "tool")!;
    assert.deepEqual(tool.output, { n, root: root.id });
    assert.deepEqual(root.output, { n, rootId: root.id });
  }
});
