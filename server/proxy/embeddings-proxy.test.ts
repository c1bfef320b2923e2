import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
let proxied: OpenAI;
let direct: OpenAI;

beforeAll(async () => {
  stack = await startProxyStack();
  proxied = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "embeddings" } });
  direct = new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

test("an embeddings call through the proxy gets the provider's vectors and is recorded like the SDKs record it: count, size, usage and cost, not the vectors", async () => {
  const request = { model: "text-embedding-3-small", input: ["first text", "second text"], dimensions: 6 };
  const { data, response } = await proxied.embeddings.create(request).withResponse();
  expect(data).toEqual(await direct.embeddings.create(request));
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace).toMatchObject({ project: "embeddings", provider: "openai", model: "text-embedding-3-small", status: "ok" });
  const [span] = trace.spans;
  expect(span.type).toBe("llm");
  expect(span.input).toEqual(request.input);
  expect(span.output).toEqual({ embeddings: 2, dimensions: 6 });
  expect(span.metadata).toMatchObject({ kind: "embedding", provider: "openai", model: "text-embedding-3-small", dimensions: 6 });
  expect(span.metrics.prompt_tokens).toBe(data.usage.prompt_tokens);
  expect(span.metrics.tokens).toBe(data.usage.total_tokens);
  expect(span.metrics.cost_usd).toBeGreaterThan(0);
  expect(JSON.stringify(trace)).not.toContain(String((data.data[0].embedding as number[])[1]));
});

test("a float-encoded embeddings call records the same count and size", async () => {
  const { response } = await proxied.embeddings.create({ model: "text-embedding-3-small", input: "one text", encoding_format: "float" }).withResponse();
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.input).toBe("one text");
  expect(span.output).toEqual({ embeddings: 1, dimensions: 8 });
});

test("a failed embeddings call is recorded as an error with the provider's message", async () => {
  const { response } = await proxied.embeddings.create({ model: "text-embedding-3-small", input: "x" }, { headers: { "x-fake-scenario": "error-429" } }).withResponse().catch((error) => ({ response: { headers: error.headers } }));
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.status).toBe("error");
  expect(span.error.message).toContain("Rate limit");
});
