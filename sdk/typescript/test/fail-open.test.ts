import assert from "node:assert/strict";
import { flush, initLogger, traced, wrapAnthropic, wrapOpenAI } from "../src/index.ts";
import { deadUrl, startCaptureServer, type Behaviour } from "./support/capture-server.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

// Tracing must never hurt the traced app: whatever Kalmia does, the app gets the same answers, sees no
// exception, and flush() comes back by its deadline.
const fx = llmFixture({ server: false });

async function agentRun() {
  const openai = wrapOpenAI(fx.openai());
  const anthropic = wrapAnthropic(fx.anthropic());
  return traced({ name: "app", type: "task" }, async () => {
    const chat = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
    const stream = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";
    const message = await anthropic.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] }).finalMessage();
    return { chat: chat.choices[0]!.message.content, streamed, message: message.content };
  });
}

async function expected() {
  initLogger({ projectName: "baseline", baseUrl: await deadUrl() });
  const openai = fx.openai();
  const chat = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
  const message = await fx.anthropic().messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] });
  return { chat: chat.choices[0]!.message.content, streamed: chat.choices[0]!.message.content, message: message.content };
}

for (const [label, behaviour] of [
  ["answers 500 to everything", { status: 500 }],
  ["hangs without answering", "hang"],
] as [string, Behaviour][]) {
  test(`when Kalmia ${label}, the app's results are unchanged and flush returns by its timeout`, async () => {
    const want = await expected();
    const capture = await startCaptureServer([behaviour]);
    initLogger({ projectName: "fail-open", baseUrl: capture.url });
    assert.deepEqual(await agentRun(), want);
    const result = await flush({ timeoutMs: 500 });
    await capture.stop();
    assert.equal(result.flushed, false);
    assert.ok(capture.requests.length >= 1, "the SDK did try");
  });
}

test("when Kalmia is down, the app's results are unchanged and flush returns by its timeout", async () => {
  const want = await expected();
  initLogger({ projectName: "fail-open", baseUrl: await deadUrl() });
  assert.deepEqual(await agentRun(), want);
  const result = await flush({ timeoutMs: 500 });
  assert.equal(result.flushed, false);
});

test("an unrecognised client comes back unwrapped, with one warning", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => void warnings.push(message);
  try {
    const notAClient = { chat: {} };
    assert.equal(wrapOpenAI(notAClient), notAClient);
    assert.equal(wrapOpenAI(notAClient), notAClient);
    const notAnthropic = { messages: null };
    assert.equal(wrapAnthropic(notAnthropic), notAnthropic);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.filter((w) => w.includes("wrapOpenAI")).length, 1);
  assert.equal(warnings.filter((w) => w.includes("wrapAnthropic")).length, 1);
});

test("a bad KALMIA_BASE_URL is reported by name and never throws", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => void warnings.push(message);
  try {
    initLogger({ baseUrl: "not a url" });
  } finally {
    console.warn = warn;
  }
  assert.ok(warnings.some((w) => w.includes("baseUrl is not an http(s) URL")));
});
