import assert from "node:assert/strict";
import { Stream } from "openai/streaming";
import { APIPromise } from "openai/core/api-promise";
import { BadRequestError } from "openai";
import { traced, wrapOpenAI } from "../src/index.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();
const MESSAGES = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Hello!" },
];
const TOOLS = [
  {
    type: "function" as const,
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true },
  },
];

test("chat.completions.create returns the client's own APIPromise and result, and records one llm span", async () => {
  fx.project("chat");
  const client = wrapOpenAI(fx.openai());
  const call = client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, temperature: 0.2 });
  assert.ok(call instanceof APIPromise);
  const completion = await call;
  assert.equal(completion.choices[0]!.message.content, "Hello! This is the fake upstream, answering deterministically.");
  assert.match(completion._request_id ?? "", /^req_fake/);

  const [trace] = await fx.traces(1);
  assert.equal(trace!.spans.length, 1);
  const span = trace!.spans[0]!;
  assert.equal(span.type, "llm");
  assert.equal(span.name, "openai.chat.completions.create");
  assert.equal(span.status, "ok");
  assert.deepEqual(span.input, MESSAGES);
  assert.equal(span.output.content, completion.choices[0]!.message.content);
  assert.equal(span.metadata!.provider, "openai");
  assert.equal(span.metadata!.model, "gpt-4o");
  assert.equal(span.metadata!.temperature, 0.2);
  assert.equal(span.metrics.prompt_tokens, completion.usage!.prompt_tokens);
  assert.equal(span.metrics.completion_tokens, completion.usage!.completion_tokens);
  assert.equal(trace!.model, "gpt-4o");
});

test("a streamed chat completion is the client's own Stream; the span holds the assembled answer, usage and time to first token", async () => {
  fx.project("chat-stream");
  const client = wrapOpenAI(fx.openai());
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.ok(stream instanceof Stream);
  assert.ok(stream.controller instanceof AbortController);
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  assert.equal(text, "Hello! This is the fake upstream, answering deterministically.");

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.status, "ok");
  assert.deepEqual(span.output, { role: "assistant", content: text });
  assert.equal(span.metadata!.stream, true);
  assert.equal(span.metadata!.stream_end, "completed");
  assert.ok(span.metrics.completion_tokens! > 0);
  assert.ok(span.metrics.time_to_first_token! > 0);
  // Kalmia stores start and end to the millisecond, hence the 2 ms of slack.
  assert.ok(span.metrics.time_to_first_token! <= span.metrics.end! - span.metrics.start! + 0.002);
});

test("streamed tool calls are assembled into the span's output", async () => {
  fx.project("chat-tools-stream");
  const client = wrapOpenAI(fx.openai());
  const stream = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, tools: TOOLS, stream: true });
  const finish: string[] = [];
  for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finish.push(chunk.choices[0].finish_reason);
  assert.deepEqual(finish, ["tool_calls"]);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  const calls = span.output.tool_calls.map((c: any) => [c.function.name, JSON.parse(c.function.arguments)]);
  assert.deepEqual(calls, [["get_weather", { city: "Tokyo" }], ["get_weather", { city: "New York" }]]);
  assert.deepEqual(span.metadata!.tools, TOOLS);
  assert.equal(span.metadata!.finish_reason, "tool_calls");
});

test("tee() and toReadableStream() of a wrapped stream deliver every chunk, and the span sees each once", async () => {
  fx.project("chat-tee");
  const client = wrapOpenAI(fx.openai());
  const [left, right] = (await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true })).tee();
  const read = async (s: typeof left) => {
    let text = "";
    for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? "";
    return text;
  };
  const [a, b] = await Promise.all([read(left), read(right)]);
  assert.equal(a, b);

  const readable = (await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true })).toReadableStream();
  const lines = (await new Response(readable).text()).trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(lines.map((c) => c.choices[0]?.delta?.content ?? "").join(""), a);

  const traces = await fx.traces(2);
  for (const trace of traces) assert.equal(trace.spans[0]!.output.content, a);
});

test(".withResponse() and .asResponse() still work through the wrapper, and the raw body read by the caller is recorded from a copy", async () => {
  fx.project("chat-with-response");
  const client = wrapOpenAI(fx.openai());
  const { data, response, request_id } = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }).withResponse();
  assert.equal(response.status, 200);
  assert.match(request_id ?? "", /^req_fake/);
  assert.ok(data.choices[0]!.message.content);
  const raw = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }).asResponse();
  const body = (await raw.json()) as { object: string };
  assert.equal(body.object, "chat.completion");

  const traces = await fx.traces(2);
  const outputs = traces.map((t) => t.spans[0]!.output);
  assert.equal(outputs.filter((o) => o?.content === data.choices[0]!.message.content).length, 2, "both calls have their output");
  assert.equal(traces.filter((t) => t.spans[0]!.metadata!.raw_response === true).length, 1, "the raw call is marked raw");
});

test("chat.completions.parse returns parsed tool arguments and is traced", async () => {
  fx.project("chat-parse");
  const client = wrapOpenAI(fx.openai());
  const completion = await client.chat.completions.parse({ model: "gpt-4o", messages: MESSAGES, tools: TOOLS });
  // openai 7 types a tool call as a function call or a custom tool call; the fake answers with functions.
  const call = completion.choices[0]!.message.tool_calls![0]!;
  assert.ok(call.type === "function");
  assert.deepEqual(call.function.parsed_arguments, { city: "Tokyo" });

  const [trace] = await fx.traces(1);
  assert.equal(trace!.spans.length, 1, "parse() makes one span, not one for parse and one for create");
  assert.equal(trace!.spans[0]!.name, "openai.chat.completions.parse");
  assert.equal(trace!.spans[0]!.output.tool_calls.length, 2);
});

test("responses.create, plain and streamed, records the instructions as system message and the output items", async () => {
  fx.project("responses");
  const client = wrapOpenAI(fx.openai());
  const response = await client.responses.create({ model: "gpt-4.1", instructions: "Be brief.", input: "Hi there" });
  assert.ok(response.output_text.length > 0);
  const stream = await client.responses.create({ model: "gpt-4.1", input: "Hi there", stream: true });
  let streamed = "";
  for await (const event of stream) if (event.type === "response.output_text.delta") streamed += event.delta;
  assert.equal(streamed, response.output_text);

  const traces = await fx.traces(2);
  const spans = [traces.find((t) => !t.spans[0]!.metadata!.stream)!.spans[0]!, traces.find((t) => t.spans[0]!.metadata!.stream)!.spans[0]!];
  assert.deepEqual(spans[0]!.input, [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi there" }]);
  assert.deepEqual(spans[1]!.input, [{ role: "user", content: "Hi there" }]);
  for (const span of spans) {
    assert.equal(span.name, "openai.responses.create");
    assert.equal(span.output[0].content[0].text, response.output_text);
    assert.ok(span.metrics.prompt_tokens! > 0);
  }
  assert.ok(spans[1]!.metrics.time_to_first_token! > 0);
});

test("embeddings.create returns the vectors and records their count and size, not the vectors", async () => {
  fx.project("embeddings");
  const client = wrapOpenAI(fx.openai());
  const result = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
  assert.equal(result.data.length, 2);
  assert.equal(result.data[0]!.embedding.length, 8);

  const [trace] = await fx.traces(1);
  assert.deepEqual(trace!.spans[0]!.output, { embeddings: 2, dimensions: 8 });
  assert.deepEqual(trace!.spans[0]!.input, ["a", "b"]);
});

test("a failed call throws the client's own error, and the span records it with its status", async () => {
  fx.project("chat-error");
  const client = wrapOpenAI(fx.openai());
  const call = client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, { headers: { "x-fake-scenario": "error-400" } });
  await assert.rejects(call, (error) => error instanceof BadRequestError && error.status === 400);

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.status, "error");
  assert.equal(span.error.status, 400);
  assert.equal(span.error.type, "BadRequestError");
});

test("without traced(), each call is a trace of its own", async () => {
  fx.project("standalone");
  const client = wrapOpenAI(fx.openai());
  await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
  await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
  const traces = await fx.traces(2);
  assert.equal(traces.length, 2);
  for (const trace of traces) assert.equal(trace.spans.length, 1);
});

test("the wrapped client is still the client: instanceof, other resources and methods work untraced", async () => {
  fx.project("passthrough");
  const raw = fx.openai();
  const client = wrapOpenAI(raw);
  assert.ok(client instanceof (raw.constructor as any));
  assert.equal(client.chat, client.chat, "wrapped resources are stable objects");
  const models = await client.models.list();
  assert.ok(models.data.length > 0);
  assert.equal(typeof client.buildURL("/x", {}), "string");
});

test("cached prompt tokens and a streamed refusal are recorded", async () => {
  fx.project("chat-cache-refusal");
  const client = wrapOpenAI(fx.openai());
  const cached = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, { headers: { "x-fake-scenario": "cache" } });
  const stream = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true }, { headers: { "x-fake-scenario": "refusal" } });
  let refusal = "";
  for await (const chunk of stream) refusal += chunk.choices[0]?.delta?.refusal ?? "";
  assert.ok(refusal.length > 0);

  const traces = await fx.traces(2);
  // Kalmia keeps start times to the millisecond, so tell the calls apart by what they were, not by order.
  const spans = [traces.find((t) => !t.spans[0]!.metadata!.stream)!.spans[0]!, traces.find((t) => t.spans[0]!.metadata!.stream)!.spans[0]!];
  assert.equal(spans[0]!.metrics.prompt_cached_tokens, cached.usage!.prompt_tokens_details!.cached_tokens);
  assert.ok(spans[0]!.metrics.prompt_cached_tokens! > 0);
  assert.equal(spans[1]!.output.refusal, refusal);
});

test("a streamed Response that fails records the failure as the span's error", async () => {
  fx.project("responses-failed");
  const client = wrapOpenAI(fx.openai());
  const stream = await client.responses.create({ model: "gpt-4.1", input: "Hi", stream: true }, { headers: { "x-fake-scenario": "mid-stream-error" } });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  assert.equal(types.at(-1), "response.failed");

  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.status, "error");
  assert.ok(span.error);
});

test("the chat.completions.stream() and responses.stream() helpers keep their events and final results, and are traced", async () => {
  fx.project("openai-helpers");
  const client = wrapOpenAI(fx.openai());
  const chat = client.chat.completions.stream({ model: "gpt-4o", messages: MESSAGES });
  let content = "";
  chat.on("content", (delta) => (content += delta));
  const completion = await chat.finalChatCompletion();
  assert.equal(completion.choices[0]!.message.content, content);

  const responseStream = client.responses.stream({ model: "gpt-4.1", input: "Hi there" });
  let text = "";
  responseStream.on("response.output_text.delta", (event) => (text += event.delta));
  const response = await responseStream.finalResponse();
  assert.equal(response.output_text, text);

  const traces = await fx.traces(2);
  assert.deepEqual(traces.map((t) => t.spans.length), [1, 1], "one span per helper call, none for its inner create()");
  const chatSpan = traces.find((t) => t.spans[0]!.name === "openai.chat.completions.stream")!.spans[0]!;
  const responseSpan = traces.find((t) => t.spans[0]!.name === "openai.responses.stream")!.spans[0]!;
  assert.equal(chatSpan.output.content, content);
  assert.equal(chatSpan.metadata!.stream_end, "completed");
  assert.ok(chatSpan.metrics.time_to_first_token! > 0);
  assert.equal(responseSpan.output[0].content[0].text, text);
  assert.ok(responseSpan.metrics.prompt_tokens! > 0);
});

test("a traced function may return the APIPromise itself: .asResponse() and .withResponse() still work, and both spans end", async () => {
  fx.project("traced-api-promise");
  const client = wrapOpenAI(fx.openai());
  const ask = traced((content: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content }] }), { name: "ask" });
  const raw = await ask("raw please").asResponse();
  assert.equal(((await raw.json()) as { object: string }).object, "chat.completion");
  const { data } = await ask("parsed please").withResponse();
  assert.ok(data.choices[0]!.message.content);

  const traces = await fx.traces(2);
  for (const trace of traces) {
    assert.equal(trace.spans.length, 2);
    assert.ok(trace.spans.every((s) => s.status === "ok"));
  }
  const parsed = traces.find((t) => t.spans.some((s) => s.input === "parsed please"))!;
  assert.equal(parsed.spans.find((s) => s.name === "ask")!.output.choices[0].message.content, data.choices[0]!.message.content);
});

test("responses.parse returns parsed tool arguments and is traced once", async () => {
  fx.project("responses-parse");
  const client = wrapOpenAI(fx.openai());
  const tools = [{ type: "function" as const, name: "get_weather", parameters: TOOLS[0]!.function.parameters, strict: true }];
  const response = await client.responses.parse({ model: "gpt-4.1", input: "Weather in Tokyo?", tools });
  const call = response.output.find((item) => item.type === "function_call") as { parsed_arguments?: unknown } | undefined;
  assert.deepEqual(call?.parsed_arguments, { city: "Tokyo" });

  const [trace] = await fx.traces(1);
  assert.equal(trace!.spans.length, 1);
  assert.equal(trace!.spans[0]!.name, "openai.responses.parse");
  assert.equal(trace!.spans[0]!.output.filter((item: any) => item.type === "function_call").length, 2);
});

test("a wrapped call is priced once its rows reach Kalmia: the span and its trace have gpt-4o's cost", async () => {
  fx.project("chat-priced");
  const client = wrapOpenAI(fx.openai());
  const completion = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  // gpt-4o: $2.50 / $10 per million prompt / completion tokens.
  const expected = (completion.usage!.prompt_tokens * 2.5 + completion.usage!.completion_tokens * 10) / 1e6;
  assert.ok(Math.abs(span.metrics.cost_usd! - expected) < 1e-12, `span cost ${span.metrics.cost_usd}, expected ${expected}`);
  assert.ok(Math.abs(trace!.cost_usd! - expected) < 1e-12, `trace cost ${trace!.cost_usd}, expected ${expected}`);
});
