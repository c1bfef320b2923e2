import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { DEFAULT_TEXT, REFUSAL_TEXT } from "./plan-turn.ts";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.ts";

let upstream: FakeUpstream;
let client: OpenAI;
const WEATHER_TOOL = {
  type: "function" as const,
  function: { name: "get_weather", description: "Get weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-fake", maxRetries: 0 });
});
afterAll(() => upstream.stop());

test("a plain chat completion parses in the openai client with deterministic text and usage", async () => {
  const completion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello!" }] });
  expect(completion.choices[0].message.content).toBe(DEFAULT_TEXT);
  expect(completion.choices[0].finish_reason).toBe("stop");
  expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  expect(completion._request_id).toMatch(/^req_/);
});

test("a streamed chat completion yields text chunks and, when asked, a usage-only final chunk", async () => {
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Tell me a story" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(DEFAULT_TEXT);
  expect(chunks.at(-1)!.choices).toEqual([]);
  expect(chunks.at(-1)!.usage!.completion_tokens).toBeGreaterThan(0);
  expect(chunks.at(-2)!.choices[0].finish_reason).toBe("stop");
});

test("a streamed chat completion without include_usage carries no usage chunk", async () => {
  const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.every((chunk) => chunk.choices.length === 1 && chunk.usage === undefined)).toBe(true);
});

test("tools without results yet stream two parallel calls the client assembles from argument deltas", async () => {
  const runner = client.chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "Weather in Tokyo and New York?" }], tools: [WEATHER_TOOL] });
  const completion = await runner.finalChatCompletion();
  const calls = completion.choices[0].message.tool_calls!;
  expect(completion.choices[0].finish_reason).toBe("tool_calls");
  expect(calls.map((call) => call.type === "function" && JSON.parse(call.function.arguments))).toEqual([{ city: "Tokyo" }, { city: "New York" }]);
  expect(new Set(calls.map((call) => call.id)).size).toBe(2);
});

test("after tool results the answer is final text", async () => {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    tools: [WEATHER_TOOL],
    messages: [
      { role: "user", content: "Weather in Tokyo?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "sunny, 22°C" },
    ],
  });
  expect(completion.choices[0].message.content).toBe("Based on the tool results: sunny, 22°C");
  expect(completion.choices[0].message.tool_calls).toBeUndefined();
});

test("the refusal scenario streams refusal deltas and a plain refusal message", async () => {
  const headers = { "x-fake-scenario": "refusal" };
  const plain = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }, { headers });
  expect(plain.choices[0].message).toMatchObject({ content: null, refusal: REFUSAL_TEXT });
  const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }], stream: true }, { headers });
  let refusal = "";
  for await (const chunk of stream) refusal += chunk.choices[0]?.delta.refusal ?? "";
  expect(refusal).toBe(REFUSAL_TEXT);
});

test("multibyte text split inside characters across writes arrives intact", async () => {
  const stream = await client.chat.completions.create(
    { model: "gpt-4o", messages: [{ role: "user", content: "x" }], stream: true },
    { headers: { "x-fake-scenario": "multibyte" } },
  );
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  expect(text).toContain("こんにちは、世界！");
  expect(text).toContain("🌸🚀");
});

test("x-fake-chunks sets how many content chunks a stream has", async () => {
  const stream = await client.chat.completions.create(
    { model: "gpt-4o", messages: [{ role: "user", content: "x" }], stream: true },
    { headers: { "x-fake-chunks": "12", "x-fake-delay-ms": "1" } },
  );
  let contentChunks = 0;
  for await (const chunk of stream) if (chunk.choices[0]?.delta.content) contentChunks++;
  expect(contentChunks).toBe(12);
});
