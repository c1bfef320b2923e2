import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { flush, initLogger, wrapAnthropic, wrapOpenAI } from "../src/index.ts";
import { startCaptureServer } from "./support/capture-server.ts";
import { afterAll, beforeAll, collectGarbage, test } from "./support/runner.ts";
import { startUpstream, type Running } from "./support/servers.ts";

// Every way a stream can end must end its span exactly once, with what was read so far, and must look
// to the caller exactly as it does without the wrapper. Spans are checked as the rows the SDK sent.
let upstream: Running;
let capture: Awaited<ReturnType<typeof startCaptureServer>>;
beforeAll(async () => {
  [upstream, capture] = await Promise.all([startUpstream(), startCaptureServer()]);
  initLogger({ projectName: "stream-endings", baseUrl: capture.url });
});
afterAll(async () => {
  await Promise.all([upstream.stop(), capture.stop()]);
});

const openai = () => new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: upstream.url, apiKey: "sk-ant-test", maxRetries: 0 });
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Tell me a story" }], stream: true as const };
const TEN_CHUNKS = { "x-fake-chunks": "10" };

/** The one LLM span sent since `mark`, with how many end rows it got. */
async function onlySpan(mark: number) {
  await flush();
  const rows = capture.rows().slice(mark);
  const ids = [...new Set(rows.map((r) => r.id))];
  assert.equal(ids.length, 1, "one span for one call");
  const span = capture.spans().get(ids[0]!)!;
  return { span, endRows: rows.filter((r) => r.metrics?.end !== undefined).length };
}

async function lastUpstreamRequestAborted(): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const requests = (await (await fetch(`${upstream.url}/_fake/requests`)).json()) as { aborted: boolean }[];
    if (requests.at(-1)?.aborted) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

type Outcome = { text: string; error?: string };

async function readChat(client: OpenAI, headers: Record<string, string>, leave?: (stream: any, chunks: number) => "break" | void): Promise<Outcome> {
  const stream = await client.chat.completions.create(CHAT, { headers });
  let text = "";
  let chunks = 0;
  try {
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (leave?.(stream, ++chunks) === "break") break;
    }
  } catch (error) {
    return { text, error: (error as Error).constructor.name };
  }
  return { text };
}

/** Reads the same stream with a plain and a wrapped client: the caller must not be able to tell them apart. */
async function sameForCaller(headers: Record<string, string>, leave?: (stream: any, chunks: number) => "break" | void) {
  const plain = await readChat(openai(), headers, leave);
  const mark = capture.rows().length;
  const wrapped = await readChat(wrapOpenAI(openai()), headers, leave);
  assert.deepEqual(wrapped, plain);
  return { outcome: wrapped, ...(await onlySpan(mark)) };
}

test("a stream read to the end ends its span once, complete", async () => {
  const { outcome, span, endRows } = await sameForCaller(TEN_CHUNKS);
  assert.equal(endRows, 1);
  assert.equal(span.status, undefined, "ok is derived from metrics.end");
  assert.equal(span.metadata.stream_end, "completed");
  assert.equal(span.output.content, outcome.text);
});

test("breaking out of for-await ends the span once, cancelled, with the text read so far, and aborts the request", async () => {
  const { outcome, span, endRows } = await sameForCaller({ ...TEN_CHUNKS, "x-fake-delay-ms": "10" }, (_stream, chunks) => (chunks === 3 ? "break" : undefined));
  assert.equal(endRows, 1);
  assert.equal(span.status, "cancelled");
  assert.equal(span.metadata.stream_end, "break");
  assert.equal(span.output.content, outcome.text);
  assert.ok(outcome.text.length > 0 && !outcome.text.endsWith("deterministically."));
  assert.equal(await lastUpstreamRequestAborted(), true, "the request was aborted, as without the wrapper");
});

test("aborting through stream.controller ends the span once, cancelled, with the text read so far", async () => {
  const { outcome, span, endRows } = await sameForCaller({ ...TEN_CHUNKS, "x-fake-delay-ms": "40" }, (stream, chunks) => {
    // Chunks 40 ms apart: none is already buffered when the abort lands, so both clients read the same.
    if (chunks === 3) stream.controller.abort();
  });
  assert.equal(outcome.error, undefined, "openai-node ends an aborted stream quietly");
  assert.equal(endRows, 1);
  assert.equal(span.status, "cancelled");
  assert.equal(span.metadata.stream_end, "aborted");
  assert.equal(span.output.content, outcome.text);
});

test("an error event mid-stream throws the client's own error and ends the span once, as an error", async () => {
  const { outcome, span, endRows } = await sameForCaller({ "x-fake-scenario": "mid-stream-error" });
  assert.equal(outcome.error, "APIError");
  assert.equal(endRows, 1);
  assert.equal(span.metadata.stream_end, "error");
  assert.equal(span.error.type, "APIError");
  assert.equal(span.output.content, outcome.text);
});

test("a connection cut mid-stream throws as it would unwrapped and ends the span once, as an error", async () => {
  const { outcome, span, endRows } = await sameForCaller({ ...TEN_CHUNKS, "x-fake-scenario": "cut" });
  assert.ok(outcome.error);
  assert.equal(endRows, 1);
  assert.equal(span.metadata.stream_end, "error");
  assert.ok(span.error.message);
});

test("a stream its reader abandons ends its span when it is garbage-collected", async () => {
  const mark = capture.rows().length;
  await (async () => {
    const stream = await wrapOpenAI(openai()).chat.completions.create(CHAT, { headers: TEN_CHUNKS });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    // Dropped here: no break, no return(), no abort.
  })();
  if (!collectGarbage()) return; // Node without --expose-gc: run-tests.sh passes it.
  for (let attempt = 0; attempt < 50 && !capture.rows().slice(mark).some((r) => r.metrics?.end); attempt++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flush();
  }
  const { span, endRows } = await onlySpan(mark);
  assert.equal(endRows, 1);
  assert.equal(span.status, "cancelled");
  assert.equal(span.metadata.stream_end, "abandoned");
  assert.equal(span.output.role, "assistant");
});

test("Anthropic: breaking out of a raw event stream ends the span once, cancelled, with the text so far", async () => {
  const mark = capture.rows().length;
  const stream = await wrapAnthropic(anthropic()).messages.create(
    { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "Hi" }], stream: true },
    { headers: TEN_CHUNKS },
  );
  let text = "";
  let deltas = 0;
  for await (const event of stream) {
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    if (event.type === "content_block_delta" && ++deltas === 2) break;
  }
  const { span, endRows } = await onlySpan(mark);
  assert.equal(endRows, 1);
  assert.equal(span.status, "cancelled");
  assert.deepEqual(span.output.content.map((b: any) => b.text), [text]);
});

test("Anthropic: messages.stream() aborted by the caller emits abort as usual and ends the span once, cancelled", async () => {
  const mark = capture.rows().length;
  const stream = wrapAnthropic(anthropic()).messages.stream(
    { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] },
    { headers: { ...TEN_CHUNKS, "x-fake-delay-ms": "5" } },
  );
  let text = "";
  const aborted = new Promise<string>((resolve) => stream.on("abort", (error) => resolve(error.constructor.name)));
  stream.on("text", (delta) => {
    text += delta;
    if (text.split(" ").length >= 3 && !stream.aborted) stream.abort();
  });
  assert.equal(await aborted, "APIUserAbortError");
  const { span, endRows } = await onlySpan(mark);
  assert.equal(endRows, 1);
  assert.equal(span.status, "cancelled");
  assert.equal(span.metadata.stream_end, "aborted");
  assert.ok(span.output.content[0].text.startsWith(text));
});

test("Anthropic: messages.stream() failing mid-stream reports through its error event and ends the span as an error", async () => {
  const mark = capture.rows().length;
  const stream = wrapAnthropic(anthropic()).messages.stream(
    { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] },
    { headers: { "x-fake-scenario": "mid-stream-error" } },
  );
  await assert.rejects(stream.finalMessage(), (e) => e instanceof Anthropic.APIError);
  const { span, endRows } = await onlySpan(mark);
  assert.equal(endRows, 1);
  assert.equal(span.metadata.stream_end, "error");
  assert.ok(span.error.message.length > 0);
});
