import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
let proxied: OpenAI;
let direct: OpenAI;
const HELLO = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hello!" }] };
const WEATHER_TOOL = {
  type: "function" as const,
  function: { name: "get_weather", description: "Get weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

beforeAll(async () => {
  stack = await startProxyStack();
  proxied = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "my-project" } });
  direct = new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test-key", maxRetries: 0 });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

async function chunksOf(stream: AsyncIterable<unknown>) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

test("the docs' chat example through the proxy gets the same answer as calling the provider directly", async () => {
  const { data, response } = await proxied.chat.completions.create(HELLO).withResponse();
  expect(data).toEqual(await direct.chat.completions.create(HELLO));
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace).toMatchObject({ project: "my-project", source: "proxy", provider: "openai", model: "gpt-4o", status: "ok" });
  const [span] = trace.spans;
  expect(span.type).toBe("llm");
  expect(span.input).toEqual(HELLO.messages);
  expect(span.output).toMatchObject({ role: "assistant", content: data.choices[0].message.content });
  expect(span.metadata).toMatchObject({ provider: "openai", model: "gpt-4o", http_status: 200, request_id: response.headers.get("x-request-id") });
  expect(span.metrics).toMatchObject({ prompt_tokens: data.usage!.prompt_tokens, completion_tokens: data.usage!.completion_tokens, tokens: data.usage!.total_tokens });
  expect(trace.cost_usd).toBeGreaterThan(0);
});

test("a stream without include_usage reaches the caller exactly as the provider sends it, and usage is still recorded", async () => {
  const request = { ...HELLO, stream: true as const };
  const { data: stream, response } = await proxied.chat.completions.create(request).withResponse();
  const received = await chunksOf(stream);
  expect((stack.upstream.lastRequest()!.body as any).stream_options).toEqual({ include_usage: true });
  expect(received).toEqual(await chunksOf(await direct.chat.completions.create(request)));
  expect(received.some((chunk: any) => chunk.usage)).toBe(false);
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.metrics.completion_tokens).toBeGreaterThan(0);
  expect(span.metrics.time_to_first_token).toBeGreaterThan(0);
  // Stored times are rounded to the millisecond; the first token can never come after the end.
  expect(span.metrics.time_to_first_token).toBeLessThanOrEqual(span.metrics.end - span.metrics.start + 0.001);
});

test("a stream that asked for usage keeps its usage chunk", async () => {
  const request = { ...HELLO, stream: true as const, stream_options: { include_usage: true } };
  const received = await chunksOf(await proxied.chat.completions.create(request));
  expect(received).toEqual(await chunksOf(await direct.chat.completions.create(request)));
  expect((received.at(-1) as any).usage.total_tokens).toBeGreaterThan(0);
});

test("streamed parallel tool calls are assembled from argument deltas into the stored output", async () => {
  const request = { ...HELLO, tools: [WEATHER_TOOL], stream: true as const };
  const { data: stream, response } = await proxied.chat.completions.create(request).withResponse();
  await chunksOf(stream);
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.output.tool_calls.map((call: any) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
    ["get_weather", { city: "Tokyo" }],
    ["get_weather", { city: "New York" }],
  ]);
  expect(span.metadata.finish_reason).toBe("tool_calls");
  expect(span.metadata.tools).toEqual([WEATHER_TOOL]);
});

test("a refusal is recorded as the assistant's refusal", async () => {
  const { response } = await proxied.chat.completions.create({ ...HELLO, stream: true }, { headers: { "x-fake-scenario": "refusal" } }).withResponse();
  await response.text();
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.output.refusal).toContain("can't help");
});

test("multibyte text split across network writes is stored intact", async () => {
  const { data: stream, response } = await proxied.chat.completions.create({ ...HELLO, stream: true }, { headers: { "x-fake-scenario": "multibyte" } }).withResponse();
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.output.content).toBe(text);
  expect(text).toContain("🌸🚀");
});

test("cached prompt tokens are recorded", async () => {
  const { response } = await proxied.chat.completions.create(HELLO, { headers: { "x-fake-scenario": "cache" } }).withResponse();
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.metrics.prompt_cached_tokens).toBeGreaterThan(0);
});
