import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { DEFAULT_BODY_LIMIT_BYTES } from "./proxy-options.ts";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
let openai: OpenAI;
let anthropic: Anthropic;
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hello!" }] };
const MESSAGE = { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user" as const, content: "Hello!" }] };
const scenario = (name: string) => ({ headers: { "x-fake-scenario": name } });
const OPENAI_HEADERS = { authorization: "Bearer sk-test-key", "content-type": "application/json" };

beforeAll(async () => {
  stack = await startProxyStack();
  openai = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test-key", maxRetries: 0 });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

/** Waits (up to 5 s) for something that happens in the background; not a timing assertion. */
async function until(condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return true;
    await Bun.sleep(25);
  }
  return false;
}

test("an upstream 429 reaches the caller verbatim (status, retry-after, request id, body) and is an error span", async () => {
  const init = { method: "POST", headers: { ...OPENAI_HEADERS, "x-fake-scenario": "error-429" }, body: JSON.stringify(CHAT) };
  const viaProxy = await fetch(`${stack.proxyUrl}/chat/completions`, init);
  const viaDirect = await fetch(`${stack.upstream.url}/v1/chat/completions`, init);
  expect(viaProxy.status).toBe(429);
  expect(viaProxy.headers.get("retry-after")).toBe("1");
  expect(viaProxy.headers.get("x-request-id")).toMatch(/^req_/);
  expect(await viaProxy.text()).toBe(await viaDirect.text());
  const trace = await stack.finishedTrace(viaProxy.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("error");
  expect(trace.spans[0].error).toMatchObject({ code: "rate_limit_exceeded" });
  expect(trace.spans[0].metadata.http_status).toBe(429);
});

test("an upstream 500 reaches the Anthropic client as its typed error and is recorded", async () => {
  const { response } = await anthropic.messages.create(MESSAGE, scenario("error-500")).withResponse().catch((error) => ({ response: error }));
  expect(response).toBeInstanceOf(Anthropic.InternalServerError);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id"));
  expect(trace.spans[0].error).toMatchObject({ type: "api_error" });
});

test("a body that is not JSON is refused with 400 in the provider's error shape", async () => {
  const openaiAnswer = await fetch(`${stack.proxyUrl}/chat/completions`, { method: "POST", headers: OPENAI_HEADERS, body: "{not json" });
  expect(openaiAnswer.status).toBe(400);
  expect(((await openaiAnswer.json()) as any).error).toMatchObject({ type: "invalid_request_error", message: expect.stringContaining("not valid JSON") });
  const anthropicAnswer = await fetch(`${stack.proxyUrl}/messages`, { method: "POST", headers: { "x-api-key": "k", "content-type": "application/json" }, body: "[1, 2]" });
  expect(anthropicAnswer.status).toBe(400);
  expect(await anthropicAnswer.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
});

test("a body over the documented limit is refused with 413 and never forwarded", async () => {
  const before = stack.upstream.requests().length;
  const body = JSON.stringify({ ...CHAT, padding: "x".repeat(DEFAULT_BODY_LIMIT_BYTES) });
  const answer = await fetch(`${stack.proxyUrl}/chat/completions`, { method: "POST", headers: OPENAI_HEADERS, body });
  expect(answer.status).toBe(413);
  expect(((await answer.json()) as any).error.message).toContain(String(DEFAULT_BODY_LIMIT_BYTES));
  expect(stack.upstream.requests().length).toBe(before);
});

test("a caller that disconnects mid-stream aborts the upstream and leaves a cancelled span with the partial output", async () => {
  const controller = new AbortController();
  const { data: stream, response } = await openai.chat.completions.create({ ...CHAT, stream: true }, { ...scenario("stall"), signal: controller.signal }).withResponse();
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    if (text) break;
  }
  const forwarded = stack.upstream.lastRequest()!;
  expect(await until(() => forwarded.aborted)).toBe(true);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("cancelled");
  expect(trace.spans[0].output.content.startsWith(text)).toBe(true);
});

test("a caller that disconnects before the first byte aborts the upstream and leaves a cancelled span", async () => {
  const controller = new AbortController();
  const pending = fetch(`${stack.proxyUrl}/chat/completions`, { method: "POST", headers: { ...OPENAI_HEADERS, "x-fake-scenario": "hang", "x-kalmia-project": "hang-test" }, body: JSON.stringify(CHAT), signal: controller.signal }).catch((e) => e);
  expect(await until(() => stack.upstream.lastRequest()?.headers["x-fake-scenario"] === "hang")).toBe(true);
  controller.abort();
  await pending;
  const forwarded = stack.upstream.lastRequest()!;
  expect(await until(() => forwarded.aborted)).toBe(true);
  const listed = async () => ((await (await fetch(`${stack.kalmia.url}/api/v1/traces?project=hang-test`)).json()) as any).traces;
  expect(await until(async () => (await listed())[0]?.status === "cancelled")).toBe(true);
});

test("an upstream that cuts the stream makes the caller's stream fail, never end cleanly, and records an error", async () => {
  const { data: stream, response } = await openai.chat.completions.create({ ...CHAT, stream: true }, scenario("cut")).withResponse();
  let chunks = 0;
  const error = await (async () => {
    for await (const _ of stream) chunks++;
  })().catch((e) => e);
  expect(error).toBeInstanceOf(Error);
  expect(chunks).toBeGreaterThan(0);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("error");
  expect(trace.spans[0].error.message).toContain("upstream stream failed");
});

test("an upstream that cuts a plain answer gives the caller a 502 in the provider's shape", async () => {
  const error = await anthropic.messages.create(MESSAGE, scenario("cut")).catch((e) => e);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect(error.status).toBe(502);
  expect(error.error).toMatchObject({ type: "error", error: { type: "api_error" } });
});
