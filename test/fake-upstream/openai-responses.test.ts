import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { DEFAULT_TEXT, THINKING_TEXT } from "./plan-turn.ts";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.ts";

let upstream: FakeUpstream;
let client: OpenAI;
const WEATHER_TOOL = { type: "function" as const, name: "get_weather", strict: false, parameters: { type: "object", properties: { city: { type: "string" } } } };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-fake", maxRetries: 0 });
});
afterAll(() => upstream.stop());

test("a plain response parses with output_text and usage", async () => {
  const response = await client.responses.create({ model: "gpt-4o", input: "Hello!" });
  expect(response.output_text).toBe(DEFAULT_TEXT);
  expect(response.usage!.total_tokens).toBe(response.usage!.input_tokens + response.usage!.output_tokens);
});

test("a streamed response goes from response.created through text deltas to response.completed with usage", async () => {
  const stream = await client.responses.create({ model: "gpt-4o", input: "Hello!", stream: true });
  const types: string[] = [];
  let text = "";
  let usage = null;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_text.delta") text += event.delta;
    if (event.type === "response.completed") usage = event.response.usage;
  }
  expect(types[0]).toBe("response.created");
  expect(types.at(-1)).toBe("response.completed");
  expect(text).toBe(DEFAULT_TEXT);
  expect(usage!.output_tokens).toBeGreaterThan(0);
});

test("the stream helper assembles parallel function calls from argument deltas", async () => {
  const stream = client.responses.stream({ model: "gpt-4o", input: "Weather in Tokyo and New York?", tools: [WEATHER_TOOL] });
  const final = await stream.finalResponse();
  const calls = final.output.filter((item) => item.type === "function_call");
  expect(calls.map((call) => JSON.parse(call.arguments))).toEqual([{ city: "Tokyo" }, { city: "New York" }]);
});

test("a request for a reasoning summary streams summary deltas before the answer", async () => {
  const stream = await client.responses.create({ model: "o4-mini", input: "Think first", reasoning: { effort: "low", summary: "auto" }, stream: true });
  let summary = "";
  for await (const event of stream) if (event.type === "response.reasoning_summary_text.delta") summary += event.delta;
  expect(summary).toBe(THINKING_TEXT);
});

test("a mid-stream failure ends the stream with response.failed", async () => {
  const stream = await client.responses.create({ model: "gpt-4o", input: "x", stream: true }, { headers: { "x-fake-scenario": "mid-stream-error" } });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  expect(types.at(-1)).toBe("response.failed");
  expect(types).not.toContain("response.completed");
});
