import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.ts";

let upstream: FakeUpstream;
let openai: OpenAI;
let anthropic: Anthropic;
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "x" }] };
const MESSAGE = { model: "claude-sonnet-4-20250514", max_tokens: 10, messages: [{ role: "user" as const, content: "x" }] };
const scenario = (name: string) => ({ headers: { "x-fake-scenario": name } });

beforeAll(async () => {
  upstream = await startFakeUpstream();
  openai = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-fake", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: upstream.url, apiKey: "sk-ant-fake", maxRetries: 0 });
});
afterAll(() => upstream.stop());

test("a 429 reaches the openai client as RateLimitError with request id and retry-after", async () => {
  const error = await openai.chat.completions.create(CHAT, scenario("error-429")).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect(error.requestID).toMatch(/^req_/);
  expect(error.headers.get("retry-after")).toBe("1");
  expect(error.code).toBe("rate_limit_exceeded");
});

test("a 500 reaches the anthropic client as InternalServerError in Anthropic's error shape", async () => {
  const error = await anthropic.messages.create(MESSAGE, scenario("error-500")).catch((e) => e);
  expect(error).toBeInstanceOf(Anthropic.InternalServerError);
  expect(error.requestID).toMatch(/^req_/);
  expect(error.error).toMatchObject({ type: "error", error: { type: "api_error" } });
});

test("a 429 reaches the anthropic client as RateLimitError", async () => {
  const error = await anthropic.messages.create(MESSAGE, scenario("error-429")).catch((e) => e);
  expect(error).toBeInstanceOf(Anthropic.RateLimitError);
  expect(error.headers.get("retry-after")).toBe("1");
});

test("a request without credentials is refused with 401 like the real APIs", async () => {
  const response = await fetch(`${upstream.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify(CHAT) });
  expect(response.status).toBe(401);
  expect(((await response.json()) as any).error.code).toBe("invalid_api_key");
});

test("Anthropic's mid-stream error event is raised by the client after some text", async () => {
  const stream = await anthropic.messages.create({ ...MESSAGE, stream: true }, scenario("mid-stream-error"));
  let text = "";
  const error = await (async () => {
    for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  })().catch((e) => e);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect(error.error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
  expect(text.length).toBeGreaterThan(0);
});

test("OpenAI's mid-stream error chunk is raised by the client", async () => {
  const stream = await openai.chat.completions.create({ ...CHAT, stream: true }, scenario("mid-stream-error"));
  const error = await (async () => {
    for await (const _ of stream);
  })().catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error.type).toBe("server_error");
});

test("a cut connection mid-stream is an error in the client, never a clean end", async () => {
  const stream = await openai.chat.completions.create({ ...CHAT, stream: true }, scenario("cut"));
  let chunks = 0;
  const error = await (async () => {
    for await (const _ of stream) chunks++;
  })().catch((e) => e);
  expect(error).toBeInstanceOf(Error);
  expect(chunks).toBeGreaterThan(0);
});

test("multibyte scenario writes split a UTF-8 character across network reads", async () => {
  const response = await fetch(`${upstream.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": "k", "anthropic-version": "2023-06-01", "x-fake-scenario": "multibyte" },
    body: JSON.stringify({ ...MESSAGE, stream: true }),
  });
  const strict = new TextDecoder("utf-8", { fatal: true });
  let splitReads = 0;
  for await (const bytes of response.body!) {
    try {
      strict.decode(bytes);
    } catch {
      splitReads++;
    }
  }
  expect(splitReads).toBeGreaterThan(0);
});

test("the hang scenario answers nothing until the client gives up, and the log marks it aborted", async () => {
  const controller = new AbortController();
  const pending = openai.chat.completions.create(CHAT, { ...scenario("hang"), signal: controller.signal }).catch((e) => e);
  await Bun.sleep(50);
  controller.abort();
  expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
  await Bun.sleep(50);
  expect(upstream.lastRequest()!.aborted).toBe(true);
});

test("the log records the headers and body each request carried", async () => {
  await anthropic.messages.create(MESSAGE, { headers: { "x-custom": "yes" } });
  const recorded = upstream.lastRequest()!;
  expect(recorded.path).toBe("/v1/messages");
  expect(recorded.headers["x-custom"]).toBe("yes");
  expect(recorded.headers["anthropic-version"]).toBeTruthy();
  expect(recorded.body).toMatchObject(MESSAGE);
  const overHttp = (await (await fetch(`${upstream.url}/_fake/requests`)).json()) as any[];
  expect(overHttp.at(-1).requestId).toBe(recorded.requestId);
});

test("echo-key repeats the caller's key in the error message and the request id", async () => {
  const key = "sk-echo-this-key-0123456789";
  const client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: key, maxRetries: 0 });
  const error = await client.chat.completions.create(CHAT, scenario("echo-key, error-401")).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect(error.message).toContain(key);
  expect(error.requestID).toBe(`req_${key}`);
  const answer = await client.chat.completions.create(CHAT, scenario("echo-key"));
  expect(answer.choices[0]!.message.content).toContain(`Your key is ${key}.`);
});
