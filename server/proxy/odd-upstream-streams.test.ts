import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { DEFAULT_TEXT } from "../../test/fake-upstream/plan-turn.ts";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

// Upstream streams that are not quite what the provider documents: one odd event in the middle, or a
// clean end without the final event. The caller gets exactly what the upstream sent; the span records
// the whole answer and says what was odd.

let stack: ProxyStack;
let openai: { proxied: OpenAI; direct: OpenAI };
let anthropic: { proxied: Anthropic; direct: Anthropic };
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hello!" }], stream: true as const };
const RESPONSE = { model: "gpt-4o", input: "Hello!", stream: true as const };
const MESSAGE = { model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user" as const, content: "Hello!" }], stream: true as const };

beforeAll(async () => {
  stack = await startProxyStack();
  const headers = { "x-kalmia-project": "odd-streams" };
  openai = {
    proxied: new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultHeaders: headers }),
    direct: new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test-key", maxRetries: 0 }),
  };
  anthropic = {
    proxied: new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test-key", maxRetries: 0, defaultHeaders: headers }),
    direct: new Anthropic({ baseURL: stack.upstream.url, apiKey: "sk-ant-test-key", maxRetries: 0 }),
  };
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const scenario = (name: string) => ({ headers: { "x-fake-scenario": name } });

async function all<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** Streams through the proxy and straight from the upstream; returns both and the stored span. */
async function throughProxy<T>(call: (client: "proxied" | "direct") => Promise<{ data: AsyncIterable<T>; response: Response }>) {
  const { data, response } = await call("proxied");
  const received = await all(data);
  const sent = await all((await call("direct")).data);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  return { received, sent, trace, span: trace.spans[0] };
}

const chatText = (chunks: any[]) => chunks.map((chunk) => (Array.isArray(chunk.choices) ? (chunk.choices[0]?.delta?.content ?? "") : "")).join("");

test("a chat stream with one chunk whose choices is not an array reaches the caller as sent and is stored whole", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => openai[client].chat.completions.create(CHAT, scenario("odd-event")).withResponse());
  expect(received).toEqual(sent);
  expect(received.some((chunk: any) => !Array.isArray(chunk.choices))).toBe(true);
  expect(trace.status).toBe("ok");
  expect(span.output.content).toBe(DEFAULT_TEXT);
  expect(span.metadata).toMatchObject({ finish_reason: "stop", kalmia_skipped_events: 1 });
  expect(span.metrics.completion_tokens).toBeGreaterThan(0);
  expect(span.metrics.prompt_tokens).toBeGreaterThan(0);
});

test("an Anthropic stream with one odd text delta reaches the caller as sent and is stored whole", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => anthropic[client].messages.create(MESSAGE, scenario("odd-event")).withResponse());
  expect(received).toEqual(sent);
  expect(trace.status).toBe("ok");
  expect(span.output.content).toEqual([{ type: "text", text: DEFAULT_TEXT }]);
  expect(span.metadata).toMatchObject({ finish_reason: "end_turn", kalmia_skipped_events: 1 });
  expect(span.metrics.completion_tokens).toBe((received.at(-2) as any).usage.output_tokens);
});

test("a Responses stream with one odd text delta reaches the caller as sent and is stored whole", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => openai[client].responses.create(RESPONSE, scenario("odd-event")).withResponse());
  expect(received).toEqual(sent);
  expect(trace.status).toBe("ok");
  expect(span.output.content).toBe(DEFAULT_TEXT);
  expect(span.metadata).toMatchObject({ finish_reason: "completed", kalmia_skipped_events: 1 });
  expect(span.metrics.completion_tokens).toBe((received.at(-1) as any).response.usage.output_tokens);
});

test("a chat stream that ends cleanly without [DONE] is a whole answer to the caller, and is stored ok with a note", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => openai[client].chat.completions.create(CHAT, scenario("no-final-event")).withResponse());
  expect(received).toEqual(sent);
  expect(chatText(received)).toBe(DEFAULT_TEXT);
  expect(trace.status).toBe("ok");
  expect(span.output.content).toBe(DEFAULT_TEXT);
  expect(span.metadata).toMatchObject({ finish_reason: "stop", kalmia_stream_note: "stream ended without [DONE]" });
  expect(span.metrics.completion_tokens).toBeGreaterThan(0);
});

test("an Anthropic stream that ends cleanly without message_stop is stored ok with a note", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => anthropic[client].messages.create(MESSAGE, scenario("no-final-event")).withResponse());
  expect(received).toEqual(sent);
  expect(trace.status).toBe("ok");
  expect(span.output.content).toEqual([{ type: "text", text: DEFAULT_TEXT }]);
  expect(span.metadata).toMatchObject({ finish_reason: "end_turn", kalmia_stream_note: "stream ended without message_stop" });
  expect(span.metrics.completion_tokens).toBe((received.at(-1) as any).usage.output_tokens);
});

test("a stream that ends cleanly before its finish reason is stored as an error with the text the caller got", async () => {
  const { received, sent, trace, span } = await throughProxy((client) => openai[client].chat.completions.create(CHAT, scenario("early-end")).withResponse());
  expect(received).toEqual(sent);
  const text = chatText(received);
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThan(DEFAULT_TEXT.length);
  expect(trace.status).toBe("error");
  expect(span.output.content).toBe(text);
  expect(span.error.message).toBe("upstream stream ended before the answer finished (no finish reason, no [DONE])");
});
