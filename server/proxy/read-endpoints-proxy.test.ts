import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
const KEY = "kal-read-endpoints-key";

beforeAll(async () => {
  stack = await startProxyStack({ KALMIA_API_KEYS: KEY });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const kalmiaKey = { "x-kalmia-api-key": KEY, "x-kalmia-project": "read-endpoints" };
const openai = (headers: Record<string, string> = kalmiaKey) => new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test", maxRetries: 0, defaultHeaders: headers });
const anthropic = (headers: Record<string, string> = kalmiaKey) => new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test", maxRetries: 0, defaultHeaders: headers });
const directOpenai = () => new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
const directAnthropic = () => new Anthropic({ baseURL: stack.upstream.url, apiKey: "sk-ant-test", maxRetries: 0 });

async function storedTraceCount(): Promise<number> {
  const answer = await fetch(`${stack.kalmia.url}/api/v1/traces?project=read-endpoints`, { headers: { authorization: `Bearer ${KEY}` } });
  const body: any = await answer.json();
  return (body.traces ?? body.data ?? body).length;
}

test("openai models.retrieve through the proxy answers as the provider does, and records nothing", async () => {
  expect(await openai().models.retrieve("gpt-4o")).toEqual(await directOpenai().models.retrieve("gpt-4o"));
  expect(stack.upstream.lastRequest()!.path).toBe("/v1/models/gpt-4o");
  const missing = await openai().models.retrieve("no-such-model").catch((error) => error);
  expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  expect(await storedTraceCount()).toBe(0);
});

test("anthropic models.list and models.retrieve through the docs' base URL answer as the provider does", async () => {
  const listed = [];
  for await (const model of anthropic().models.list()) listed.push(model);
  const direct = [];
  for await (const model of directAnthropic().models.list()) direct.push(model);
  expect(listed).toEqual(direct);
  expect(await anthropic().models.retrieve("claude-sonnet-4-5")).toEqual(await directAnthropic().models.retrieve("claude-sonnet-4-5"));
  expect(stack.upstream.lastRequest()!.path).toBe("/v1/models/claude-sonnet-4-5");
  expect(await storedTraceCount()).toBe(0);
});

test("anthropic models through a base URL without /v1 reach Anthropic, not OpenAI, on the shared path", async () => {
  const client = new Anthropic({ baseURL: `${stack.kalmia.url}/api`, apiKey: "sk-ant-test", maxRetries: 0, defaultHeaders: kalmiaKey });
  expect(await client.models.retrieve("claude-haiku-4-5")).toEqual(await directAnthropic().models.retrieve("claude-haiku-4-5"));
});

test("without Kalmia's key every read endpoint is refused with 401, and the provider is never called", async () => {
  stack.upstream.clearRequests();
  expect(await openai({}).models.retrieve("gpt-4o").catch((error) => error.status)).toBe(401);
  expect(await openai({}).models.list().catch((error) => error.status)).toBe(401);
  expect(await anthropic({}).models.retrieve("claude-sonnet-4-5").catch((error) => error.status)).toBe(401);
  expect(await anthropic({}).models.list().catch((error) => error.status)).toBe(401);
  expect(stack.upstream.requests()).toEqual([]);
});
