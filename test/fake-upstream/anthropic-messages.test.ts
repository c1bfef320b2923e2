import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { DEFAULT_TEXT, THINKING_TEXT } from "./plan-turn.ts";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.ts";

let upstream: FakeUpstream;
let client: Anthropic;
const TOOLS = [{ name: "get_weather", description: "Get weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new Anthropic({ baseURL: upstream.url, apiKey: "sk-ant-fake", maxRetries: 0 });
});
afterAll(() => upstream.stop());

test("a plain message parses with text, end_turn and usage including cache fields", async () => {
  const message = await client.messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user", content: "Hello!" }] });
  expect(message.content[0]).toEqual({ type: "text", text: DEFAULT_TEXT } as any);
  expect(message.stop_reason).toBe("end_turn");
  expect(message.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  expect(message._request_id).toMatch(/^req_/);
});

test("a streamed message goes message_start → blocks → message_delta → message_stop and accumulates", async () => {
  const stream = client.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user", content: "Hello!" }] });
  const types: string[] = [];
  stream.on("streamEvent", (event) => types.push(event.type));
  const final = await stream.finalMessage();
  expect(final.content).toHaveLength(1);
  expect(final.content[0]).toMatchObject({ type: "text", text: DEFAULT_TEXT });
  expect(types[0]).toBe("message_start");
  expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
  expect(final.usage.output_tokens).toBeGreaterThan(1);
});

test("tools without results yet stream two tool_use blocks assembled from input_json_delta", async () => {
  const stream = client.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 1024, tools: TOOLS, messages: [{ role: "user", content: "Compare weather in Tokyo, New York, and San Francisco" }] });
  const final = await stream.finalMessage();
  const toolUses = final.content.filter((block) => block.type === "tool_use");
  expect(final.stop_reason).toBe("tool_use");
  expect(toolUses.map((block) => block.input)).toEqual([{ city: "Tokyo" }, { city: "New York" }]);
});

test("tool results get a final text answer, as the docs' weather agent loop expects", async () => {
  const message = await client.messages.create({
    model: "claude-sonnet-4-20250514",
    max_tokens: 1024,
    tools: TOOLS,
    messages: [
      { role: "user", content: "Weather in Tokyo?" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Tokyo" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: '{"temp": 22}' }] },
    ],
  });
  expect(message.stop_reason).toBe("end_turn");
  expect(message.content[0]).toMatchObject({ type: "text", text: 'Based on the tool results: {"temp": 22}' });
});

test("extended thinking streams thinking and signature deltas into a thinking block", async () => {
  const stream = client.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "Think" }] });
  const final = await stream.finalMessage();
  expect(final.content[0]).toMatchObject({ type: "thinking", thinking: THINKING_TEXT });
  expect((final.content[0] as any).signature.length).toBeGreaterThan(10);
  expect(final.content[1]).toMatchObject({ type: "text", text: DEFAULT_TEXT });
});

test("the cache scenario reports cache-read and cache-creation tokens", async () => {
  const message = await client.messages.create(
    { model: "claude-sonnet-4-20250514", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
    { headers: { "x-fake-scenario": "cache" } },
  );
  expect(message.usage.cache_read_input_tokens).toBeGreaterThan(0);
  expect(message.usage.cache_creation_input_tokens).toBeGreaterThan(0);
});

test("count_tokens answers with input_tokens", async () => {
  const count = await client.messages.countTokens({ model: "claude-sonnet-4-20250514", messages: [{ role: "user", content: "Hello!" }] });
  expect(count.input_tokens).toBeGreaterThan(0);
});
