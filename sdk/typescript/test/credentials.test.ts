// The wrapped client's API key is never sent to Kalmia, whatever echoes it: a provider's error message,
// the answer itself, or the app's own prompt and metadata (the fake upstream's `echo-key` scenario
// repeats the key in its answers and its errors).
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { AuthenticationError } from "openai";
import { traced, wrapAnthropic, wrapOpenAI } from "../src/index.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();
const OPENAI_KEY = "sk-proj-never-sent-0123456789abcdef";
const ANTHROPIC_KEY = "sk-ant-api03-never-sent-fedcba987654";
const REDACTED = "[redacted]";
const ECHO_401 = { headers: { "x-fake-scenario": "echo-key, error-401" } };

const openai = () => wrapOpenAI(new OpenAI({ baseURL: `${fx.upstreamUrl()}/v1`, apiKey: OPENAI_KEY, maxRetries: 0 }));
const leakingChat = (key: string) => ({
  model: "gpt-4o",
  messages: [
    { role: "system" as const, content: `The key is ${key}.` },
    { role: "user" as const, content: "Hi" },
  ],
  user: key,
});

test("a 401 whose message repeats the key is recorded without it, and so are the prompt and the body's user", async () => {
  fx.project("key-401");
  const error = await openai().chat.completions.create(leakingChat(OPENAI_KEY), ECHO_401).catch((e) => e);
  assert.ok(error instanceof AuthenticationError);
  assert.ok(error.message.includes(OPENAI_KEY));
  const [trace] = await fx.traces(1);
  const span = trace!.spans[0]!;
  assert.equal(span.status, "error");
  assert.ok(!JSON.stringify(trace).includes(OPENAI_KEY));
  assert.ok(span.error.message.includes(`Key provided: ${REDACTED}.`));
  assert.equal(span.input[0].content, `The key is ${REDACTED}.`);
  assert.equal(span.metadata!.user, REDACTED);
});

test("a stream whose answer repeats the key is recorded without it", async () => {
  fx.project("key-stream");
  const client = wrapAnthropic(new Anthropic({ baseURL: fx.upstreamUrl(), apiKey: ANTHROPIC_KEY, maxRetries: 0 }));
  const stream = await client.messages.create(
    { model: "claude-sonnet-4-20250514", max_tokens: 100, stream: true, messages: [{ role: "user", content: "Hi" }] },
    { headers: { "x-fake-scenario": "echo-key" } },
  );
  let text = "";
  for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  assert.ok(text.includes(ANTHROPIC_KEY));
  const [trace] = await fx.traces(1);
  assert.ok(!JSON.stringify(trace).includes(ANTHROPIC_KEY));
  assert.ok(trace!.spans[0]!.output.content[0].text.includes(`Your key is ${REDACTED}.`));
});

test("a traced function that records the provider's error does not record the key either", async () => {
  fx.project("key-traced");
  const client = openai();
  const agent = traced(async () => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }, ECHO_401), { name: "agent" });
  await assert.rejects(agent(), AuthenticationError);
  const [trace] = await fx.traces(1);
  assert.equal(trace!.spans.length, 2);
  assert.ok(!JSON.stringify(trace).includes(OPENAI_KEY));
});
