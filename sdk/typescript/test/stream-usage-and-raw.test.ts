import assert from "node:assert/strict";
import { wrapAnthropic, wrapOpenAI } from "../src/index.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();
const MESSAGES = [{ role: "user" as const, content: "Hello!" }];
const ANSWER = "Hello! This is the fake upstream, answering deterministically.";

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

function assertTokensAndTtft(span: any) {
  assert.equal(span.status, "ok");
  assert.ok(span.metrics.prompt_tokens > 0, "prompt tokens");
  assert.ok(span.metrics.completion_tokens > 0, "completion tokens");
  assert.ok(span.metrics.time_to_first_token > 0, "time to first token");
}

test("a chat stream without stream_options records tokens, and the caller gets exactly the chunks it would have unwrapped", async () => {
  fx.project("stream-usage");
  const wrapped = await collect(await wrapOpenAI(fx.openai()).chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true }));
  const plain = await collect(await fx.openai().chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true }));
  assert.deepEqual(wrapped, plain);
  assert.ok(wrapped.every((chunk) => !("usage" in chunk)));
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assertTokensAndTtft(span);
  assert.equal(span.output.content, ANSWER);
  assert.equal(span.metadata!.stream_options, undefined);
});

test("a caller who asked for usage keeps the usage chunk", async () => {
  fx.project("stream-usage-asked");
  const request = { model: "gpt-4o", messages: MESSAGES, stream: true as const, stream_options: { include_usage: true } };
  const wrapped = await collect(await wrapOpenAI(fx.openai()).chat.completions.create(request));
  assert.deepEqual(wrapped, await collect(await fx.openai().chat.completions.create(request)));
  assert.ok(wrapped.at(-1)!.usage!.total_tokens > 0);
  await fx.traces(1);
});

test("the chat.completions.stream() helper records tokens, and its chunks and final completion are what they would be unwrapped", async () => {
  fx.project("stream-helper-usage");
  const read = async (client: ReturnType<typeof fx.openai>) => {
    const stream = client.chat.completions.stream({ model: "gpt-4o", messages: MESSAGES });
    const chunks = await collect(stream);
    return { chunks, final: await stream.finalChatCompletion() };
  };
  const wrapped = await read(wrapOpenAI(fx.openai()));
  assert.deepEqual(wrapped, await read(fx.openai()));
  assert.equal(wrapped.final.usage, undefined);
  const [trace] = await fx.traces(1);
  assertTokensAndTtft(trace!.spans[0]!);
});

test("a streamed chat call read raw with asResponse() records its output, tokens and time to first token from a copy", async () => {
  fx.project("raw-stream");
  const response = await wrapOpenAI(fx.openai()).chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true, stream_options: { include_usage: true } }).asResponse();
  const body = await response.text();
  assert.ok(body.includes("data: [DONE]"));
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assertTokensAndTtft(span);
  assert.equal(span.output.content, ANSWER);
});

test("a streamed Responses call read raw with asResponse() is recorded", async () => {
  fx.project("raw-responses");
  const response = await wrapOpenAI(fx.openai()).responses.create({ model: "gpt-4o", input: "Hello!", instructions: "Be brief.", stream: true }).asResponse();
  assert.ok((await response.text()).includes("response.completed"));
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assertTokensAndTtft(span);
  assert.deepEqual(span.input[0], { role: "system", content: "Be brief." });
});

test("a streamed Anthropic message read raw with asResponse() is recorded", async () => {
  fx.project("raw-anthropic");
  const response = await wrapAnthropic(fx.anthropic()).messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, messages: MESSAGES, stream: true }).asResponse();
  assert.ok((await response.text()).includes("message_stop"));
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assertTokensAndTtft(span);
  assert.equal(JSON.stringify(span.output).includes(ANSWER), true);
});
