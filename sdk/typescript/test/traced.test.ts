import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { currentSpan, flush, initLogger, traced } from "../src/index.ts";
import { startCaptureServer } from "./support/capture-server.ts";
import { afterAll, beforeAll, test } from "./support/runner.ts";

let capture: Awaited<ReturnType<typeof startCaptureServer>>;
beforeAll(async () => {
  capture = await startCaptureServer();
  initLogger({ projectName: "traced", baseUrl: capture.url });
});
afterAll(() => capture.stop());

async function spansNamed(...names: string[]) {
  await flush();
  const spans = [...capture.spans().values()];
  return names.map((name) => {
    const span = spans.find((s) => s.span_attributes?.name === name);
    assert.ok(span, `span ${name} was sent`);
    return span!;
  });
}

test("a wrapped sync function returns its value unchanged; arguments are the input, the result the output", async () => {
  const add = traced((a: number, b: number) => a + b, { name: "add" });
  assert.equal(add(2, 3), 5);
  const [span] = await spansNamed("add");
  assert.deepEqual(span!.input, [2, 3]);
  assert.equal(span!.output, 5);
  assert.equal(span!.span_attributes.type, "function");
  assert.deepEqual(span!.span_parents, []);
});

test("spans nest through awaits, Promise.all, timers and event emitters without passing spans by hand", async () => {
  const emitter = new EventEmitter();
  const leaf = traced(async (label: string) => label, { name: "leaf" });
  const run = traced(
    async () => {
      await leaf("awaited");
      await Promise.all([leaf("all-1"), leaf("all-2")]);
      await new Promise<void>((resolve) => setTimeout(() => void leaf("timer").then(() => resolve()), 5));
      const heard = new Promise<void>((resolve) => emitter.once("ping", () => void leaf("emitter").then(() => resolve())));
      setImmediate(() => emitter.emit("ping"));
      await heard;
      return "done";
    },
    { name: "nest-root", type: "task" },
  );
  assert.equal(await run(), "done");
  await flush();
  const [root] = await spansNamed("nest-root");
  const leaves = [...capture.spans().values()].filter((s) => s.span_attributes?.name === "leaf" && s.root_span_id === root!.id);
  assert.deepEqual(leaves.map((s) => s.output).sort(), ["all-1", "all-2", "awaited", "emitter", "timer"]);
  for (const span of leaves) assert.deepEqual(span.span_parents, [root!.id]);
  assert.equal(root!.span_attributes.type, "task");
});

test("the callback form runs at once with its span; what it logs wins over its return value", async () => {
  const result = await traced({ name: "get_weather", type: "tool" }, async (span) => {
    assert.equal(currentSpan(), span);
    span.log({ input: { city: "Tokyo" }, output: { temp: 21 }, metadata: { unit: "C" }, metrics: { calls: 1 } });
    return "ignored as output";
  });
  assert.equal(result, "ignored as output");
  const [span] = await spansNamed("get_weather");
  assert.equal(span!.span_attributes.type, "tool");
  assert.deepEqual(span!.input, { city: "Tokyo" });
  assert.deepEqual(span!.output, { temp: 21 });
  assert.equal(span!.metadata.unit, "C");
  assert.equal(span!.metrics.calls, 1);
});

test("a thrown error is recorded on the span and re-thrown unchanged, sync or async", async () => {
  const syncError = new TypeError("sync boom");
  const asyncError = new RangeError("async boom");
  const failSync = traced(() => {
    throw syncError;
  }, { name: "fail-sync" });
  assert.throws(() => failSync(), (e) => e === syncError);
  await assert.rejects(traced({ name: "fail-async" }, async () => { throw asyncError; }), (e) => e === asyncError);
  const [sync, async] = await spansNamed("fail-sync", "fail-async");
  assert.deepEqual(sync!.error, { message: "sync boom", type: "TypeError" });
  assert.deepEqual(async!.error, { message: "async boom", type: "RangeError" });
});

test("an async generator keeps its shape; its span holds what was yielded and ends when the reader breaks", async () => {
  const child = traced(async (n: number) => n * 10, { name: "gen-child" });
  const numbers = traced(async function* numbers(limit: number) {
    for (let i = 1; i <= limit; i++) yield await child(i);
  }, { name: "gen" });
  const read: number[] = [];
  for await (const value of numbers(5)) {
    read.push(value);
    if (read.length === 2) break;
  }
  assert.deepEqual(read, [10, 20]);
  const [gen] = await spansNamed("gen");
  assert.deepEqual(gen!.output, [10, 20]);
  assert.ok(gen!.metrics.end);
  const children = [...capture.spans().values()].filter((s) => s.span_attributes?.name === "gen-child");
  assert.equal(children.length, 2);
  for (const span of children) assert.deepEqual(span.span_parents, [gen!.id]);
});

test("currentSpan() outside any span is a no-op that accepts logs", () => {
  const span = currentSpan();
  assert.equal(span.id, "");
  span.log({ output: "nowhere" });
  span.end();
});
