import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
let proxied: OpenAI;
let direct: OpenAI;
const WEATHER_TOOL = { type: "function" as const, name: "get_weather", strict: false, parameters: { type: "object", properties: { city: { type: "string" } } } };

beforeAll(async () => {
  stack = await startProxyStack();
  proxied = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0 });
  direct = new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test-key", maxRetries: 0 });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

test("a plain response is passed through and stored with instructions first and usage", async () => {
  const request = { model: "gpt-4o", instructions: "Be brief.", input: "Hello!" };
  const { data, response } = await proxied.responses.create(request).withResponse();
  expect(data).toEqual(await direct.responses.create(request));
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace).toMatchObject({ project: "default", provider: "openai", status: "ok" });
  const [span] = trace.spans;
  expect(span.input).toEqual([{ role: "system", content: "Be brief." }, { role: "user", content: "Hello!" }]);
  expect(span.output).toMatchObject({ role: "assistant", content: data.output_text });
  expect(span.metrics).toMatchObject({ prompt_tokens: data.usage!.input_tokens, completion_tokens: data.usage!.output_tokens });
});

test("a streamed response with a reasoning summary and function calls is stored from its events", async () => {
  const request = { model: "o4-mini", input: "Weather in Tokyo and New York?", tools: [WEATHER_TOOL], reasoning: { effort: "low" as const, summary: "auto" as const }, stream: true as const };
  const { data: stream, response } = await proxied.responses.create(request).withResponse();
  const received = [];
  for await (const event of stream) received.push(event);
  const expected = [];
  for await (const event of await direct.responses.create(request)) expected.push(event);
  expect(received).toEqual(expected);
  const [span] = (await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).spans;
  expect(span.output.reasoning.length).toBeGreaterThan(0);
  expect(span.output.tool_calls.map((call: any) => JSON.parse(call.function.arguments))).toEqual([{ city: "Tokyo" }, { city: "New York" }]);
  const completed = received.at(-1) as any;
  expect(span.metrics.completion_tokens).toBe(completed.response.usage.output_tokens);
});

test("a failed response stream is recorded as an error", async () => {
  const { data: stream, response } = await proxied.responses.create({ model: "gpt-4o", input: "x", stream: true }, { headers: { "x-fake-scenario": "mid-stream-error" } }).withResponse();
  for await (const _ of stream);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("error");
  expect(trace.spans[0].error).toMatchObject({ code: "server_error" });
});
