import assert from "node:assert/strict";
import { APIPromise } from "@anthropic-ai/sdk/core/api-promise";
import { MessageStream } from "@anthropic-ai/sdk/lib/MessageStream";
import Anthropic from "@anthropic-ai/sdk";
import { wrapAnthropic } from "../src/index.ts";
import { llmFixture, WEATHER_TOOL } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();
const ANSWER = "Hello! This is the fake upstream, answering deterministically.";
const params = { model: "claude-sonnet-4-20250514", max_tokens: 1024, system: "You are terse.", messages: [{ role: "user" as const, content: "Hello!" }] };

test("messages.create returns the client's own APIPromise and Message; the span puts the system prompt first", async () => {
  fx.project("messages");
  const client = wrapAnthropic(fx.anthropic());
  const call = client.messages.create(params);
  assert.ok(call instanceof APIPromise);
  const message = await call;
  assert.deepEqual(message.content, [{ type: "text", text: ANSWER }]);
  assert.match(message._request_id ?? "", /^req_fake/);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.name, "anthropic.messages.create");
  assert.equal(span.status, "ok");
  assert.deepEqual(span.input, [{ role: "system", content: "You are terse." }, ...params.messages]);
  assert.deepEqual(span.output, { role: "assistant", content: message.content });
  assert.equal(span.metadata!.provider, "anthropic");
  assert.equal(span.metadata!.max_tokens, 1024);
  assert.equal(span.metrics.prompt_tokens, message.usage.input_tokens);
  assert.equal(span.metrics.completion_tokens, message.usage.output_tokens);
});

test("messages.create with stream: true yields the raw events; the span holds the assembled message and usage", async () => {
  fx.project("messages-stream");
  const client = wrapAnthropic(fx.anthropic());
  const stream = await client.messages.create({ ...params, stream: true });
  let text = "";
  for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  assert.equal(text, ANSWER);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.deepEqual(span.output.content.map((b: any) => [b.type, b.text]), [["text", ANSWER]]);
  assert.equal(span.metadata!.stop_reason, "end_turn");
  assert.ok(span.metrics.completion_tokens! > 0);
  assert.ok(span.metrics.time_to_first_token! > 0);
});

test("messages.stream() keeps its events and finalMessage(); tool input JSON is assembled in the span", async () => {
  fx.project("messages-helper");
  const client = wrapAnthropic(fx.anthropic());
  const stream = client.messages.stream({ ...params, tools: [WEATHER_TOOL] });
  assert.ok(stream instanceof MessageStream);
  let text = "";
  stream.on("text", (delta) => (text += delta));
  const final = await stream.finalMessage();
  const toolUses = final.content.filter((b) => b.type === "tool_use");
  assert.deepEqual(toolUses.map((b) => b.input), [{ city: "Tokyo" }, { city: "New York" }]);
  assert.ok(text.length > 0);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.name, "anthropic.messages.stream");
  assert.equal(span.metadata!.stop_reason, "tool_use");
  assert.deepEqual(span.output.content.filter((b: any) => b.type === "tool_use").map((b: any) => b.input), [{ city: "Tokyo" }, { city: "New York" }]);
  assert.deepEqual(span.metadata!.tools, [WEATHER_TOOL]);
});

test("a failed call throws the client's own error, and the span records it", async () => {
  fx.project("messages-error");
  const client = wrapAnthropic(fx.anthropic());
  await assert.rejects(client.messages.create(params, { headers: { "x-fake-scenario": "error-529" } }), (e) => e instanceof Anthropic.APIError && e.status === 529);
  const [trace] = await fx.traces(1);
  assert.equal(trace!.spans[0]!.status, "error");
  assert.equal(trace!.spans[0]!.error.status, 529);
});

test("a streamed thinking block is assembled with its signature, and cache tokens count as prompt tokens", async () => {
  fx.project("messages-thinking");
  const client = wrapAnthropic(fx.anthropic());
  const stream = await client.messages.create({ ...params, stream: true }, { headers: { "x-fake-scenario": "thinking, cache" } });
  let thinking = "";
  let usage: any;
  for await (const event of stream) {
    if (event.type === "content_block_delta" && event.delta.type === "thinking_delta") thinking += event.delta.thinking;
    if (event.type === "message_start") usage = { ...event.message.usage };
  }
  assert.ok(thinking.length > 0);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  const block = span.output.content.find((b: any) => b.type === "thinking");
  assert.equal(block.thinking, thinking);
  assert.ok(block.signature);
  assert.equal(span.metrics.prompt_cached_tokens, usage.cache_read_input_tokens);
  assert.equal(span.metrics.prompt_tokens, usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens);
});
