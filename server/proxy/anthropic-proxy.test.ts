import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
let proxied: Anthropic;
let direct: Anthropic;
const HELLO = { model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user" as const, content: "Hello!" }] };
const TOOLS = [{ name: "get_weather", description: "Get weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];

beforeAll(async () => {
  stack = await startProxyStack();
  // Exactly the docs' base URL: the SDK appends /v1/messages to it.
  proxied = new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "my-project" } });
  direct = new Anthropic({ baseURL: stack.upstream.url, apiKey: "sk-ant-test-key", maxRetries: 0 });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const traceIdOf = (response: Response) => response.headers.get("x-kalmia-trace-id")!;

test("the docs' Anthropic example through the proxy gets the provider's answer and is recorded", async () => {
  const { data, response } = await proxied.messages.create({ ...HELLO, system: "Be brief." }).withResponse();
  expect(data).toEqual(await direct.messages.create({ ...HELLO, system: "Be brief." }));
  const forwarded = stack.upstream.requests().at(-2)!;
  expect(forwarded.path).toBe("/v1/messages");
  expect(forwarded.headers["anthropic-version"]).toBeTruthy();
  const trace = await stack.finishedTrace(traceIdOf(response));
  expect(trace).toMatchObject({ project: "my-project", source: "proxy", provider: "anthropic", status: "ok" });
  const [span] = trace.spans;
  expect(span.input).toEqual([{ role: "system", content: "Be brief." }, ...HELLO.messages]);
  expect(span.output).toEqual({ role: "assistant", content: data.content });
  expect(span.metadata).toMatchObject({ max_tokens: 1024, finish_reason: "end_turn", request_id: response.headers.get("request-id") });
  expect(span.metrics.prompt_tokens).toBe(data.usage.input_tokens);
  expect(span.metrics.completion_tokens).toBe(data.usage.output_tokens);
});

test("a streamed message reaches the caller event for event, and the stored span has its text and usage", async () => {
  const request = { ...HELLO, stream: true as const };
  const { data: stream, response } = await proxied.messages.create(request).withResponse();
  const received = [];
  for await (const event of stream) received.push(event);
  const expected = [];
  for await (const event of await direct.messages.create(request)) expected.push(event);
  expect(received).toEqual(expected);
  const [span] = (await stack.finishedTrace(traceIdOf(response))).spans;
  const text = received.flatMap((event: any) => (event.type === "content_block_delta" ? [event.delta.text] : [])).join("");
  expect(span.output.content).toEqual([{ type: "text", text }]);
  expect(span.metrics.completion_tokens).toBe((received.at(-2) as any).usage.output_tokens);
  expect(span.metrics.time_to_first_token).toBeGreaterThan(0);
});

test("tool_use inputs streamed as input_json_delta are stored whole", async () => {
  const stream = proxied.messages.stream({ ...HELLO, tools: TOOLS });
  const final = await stream.finalMessage();
  const [span] = (await stack.finishedTrace(traceIdOf((await stream.withResponse()).response))).spans;
  const toolUses = span.output.content.filter((block: any) => block.type === "tool_use");
  expect(toolUses.map((block: any) => block.input)).toEqual([{ city: "Tokyo" }, { city: "New York" }]);
  expect(toolUses.map((block: any) => block.id)).toEqual(final.content.filter((b) => b.type === "tool_use").map((b: any) => b.id));
  expect(span.metadata.finish_reason).toBe("tool_use");
});

test("thinking blocks are stored with their signature", async () => {
  const stream = proxied.messages.stream({ ...HELLO, max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } });
  await stream.finalMessage();
  const [span] = (await stack.finishedTrace(traceIdOf((await stream.withResponse()).response))).spans;
  expect(span.output.content[0]).toMatchObject({ type: "thinking", thinking: expect.stringContaining("reason") });
  expect(span.output.content[0].signature.length).toBeGreaterThan(10);
});

test("cache-read and cache-creation tokens count in the prompt and the cost", async () => {
  const { data, response } = await proxied.messages.create({ ...HELLO, stream: true }, { headers: { "x-fake-scenario": "cache" } }).withResponse();
  for await (const _ of data);
  const trace = await stack.finishedTrace(traceIdOf(response));
  const usage = (await direct.messages.create(HELLO, { headers: { "x-fake-scenario": "cache" } })).usage;
  const [span] = trace.spans;
  expect(span.metrics.prompt_tokens).toBe(usage.input_tokens + usage.cache_read_input_tokens! + usage.cache_creation_input_tokens!);
  expect(span.metrics.prompt_cached_tokens).toBe(usage.cache_read_input_tokens);
  expect(span.metrics.prompt_cache_creation_tokens).toBe(usage.cache_creation_input_tokens);
  expect(trace.cost_usd).toBeGreaterThan(0);
});

test("a mid-stream error event reaches the caller's client and is the span's error", async () => {
  const { data: stream, response } = await proxied.messages.create({ ...HELLO, stream: true }, { headers: { "x-fake-scenario": "mid-stream-error" } }).withResponse();
  const error = await (async () => {
    for await (const _ of stream);
  })().catch((e) => e);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  const trace = await stack.finishedTrace(traceIdOf(response));
  expect(trace.status).toBe("error");
  expect(trace.spans[0].error).toMatchObject({ type: "overloaded_error" });
  expect(trace.spans[0].output.content[0].text.length).toBeGreaterThan(0);
});

test("count_tokens passes through without being recorded", async () => {
  const before = (await (await fetch(`${stack.kalmia.url}/api/v1/traces?limit=500`)).json()) as any;
  const count = await proxied.messages.countTokens({ model: HELLO.model, messages: HELLO.messages });
  expect(count).toEqual(await direct.messages.countTokens({ model: HELLO.model, messages: HELLO.messages }));
  await Bun.sleep(100);
  const after = (await (await fetch(`${stack.kalmia.url}/api/v1/traces?limit=500`)).json()) as any;
  expect(after.traces.length).toBe(before.traces.length);
});
