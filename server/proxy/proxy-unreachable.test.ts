import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;

beforeAll(async () => {
  // Port 9 (discard) has no listener here: connections are refused at once.
  stack = await startProxyStack({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

test("an unreachable OpenAI upstream gives the client a 502 in OpenAI's error shape, recorded as an error", async () => {
  const client = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "unreachable" } });
  const error = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  expect(error.status).toBe(502);
  expect(error.error).toMatchObject({ type: "upstream_error", message: expect.stringContaining("upstream unreachable") });
  const trace = await stack.finishedTrace(error.headers.get("x-kalmia-trace-id"));
  expect(trace.status).toBe("error");
  expect(trace.spans[0].metadata.http_status).toBe(502);
});

test("an unreachable Anthropic upstream gives the client a 502 in Anthropic's error shape", async () => {
  const client = new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test-key", maxRetries: 0 });
  const error = await client.messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }).catch((e) => e);
  expect(error.status).toBe(502);
  expect(error.error).toMatchObject({ type: "error", error: { type: "api_error" } });
});
