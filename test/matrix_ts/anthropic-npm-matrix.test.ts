// The @anthropic-ai/sdk client through the proxy and @kalmia/sdk: the caller receives what the fake
// provider sends directly, and the stored llm span is complete.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { ANSWER, checkErrorSpan, checkLlmSpan, collect, directAnthropic, failure, MatrixPath, SYSTEM, startMatrixStack, type MatrixStack, type PathName } from "./matrix-stack.ts";

let stack: MatrixStack;
beforeAll(async () => {
  stack = await startMatrixStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const MODEL = "claude-sonnet-4-5";
const HELLO = { model: MODEL, max_tokens: 256, system: SYSTEM, messages: [{ role: "user" as const, content: "Hello!" }] };
const TOOLS = [{ name: "get_weather", description: "Get weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];
const WEATHER = { ...HELLO, messages: [{ role: "user" as const, content: "Weather in Tokyo?" }], tools: TOOLS };

type Case = { call: (client: Anthropic) => Promise<unknown>; streamed?: boolean; tool?: string; text?: string | null };

const CASES: Record<string, Case> = {
  message: { call: (c) => c.messages.create(HELLO) },
  message_stream: { streamed: true, call: async (c) => collect(await c.messages.create({ ...HELLO, stream: true })) },
  tools: { tool: "get_weather", text: null, call: (c) => c.messages.create(WEATHER) },
  tools_stream: { streamed: true, tool: "get_weather", text: null, call: async (c) => collect(await c.messages.create({ ...WEATHER, stream: true })) },
  stream_helper: {
    streamed: true,
    call: async (c) => {
      const stream = c.messages.stream(HELLO);
      let text = "";
      stream.on("text", (delta) => (text += delta));
      return { final: await stream.finalMessage(), text };
    },
  },
  with_response: {
    call: async (c) => {
      const { data, response } = await c.messages.create(HELLO).withResponse();
      return { data, status: response.status };
    },
  },
};

describe.each(["proxy", "sdk"] as PathName[])("@anthropic-ai/sdk through the %s", (pathName) => {
  for (const [name, { call, streamed = false, tool = null, text = ANSWER }] of Object.entries(CASES)) {
    test(`${name}: the caller gets what the provider sends, and the span is complete`, async () => {
      const path = new MatrixPath(pathName, stack, `anthropic-${name}`);
      const received = await call(path.anthropic());
      expect(received).toEqual(await call(directAnthropic(stack)));
      const [span] = await path.llmSpans();
      checkLlmSpan(span, pathName, { model: MODEL, provider: "anthropic", text, tool, streamed });
    });
  }

  for (const status of [429, 401]) {
    test(`a provider ${status} reaches the caller as it would directly, and the span records the error`, async () => {
      const path = new MatrixPath(pathName, stack, `anthropic-${status}`);
      const options = { headers: { "x-fake-scenario": `error-${status}` } };
      const received = await failure(() => path.anthropic().messages.create(HELLO, options));
      expect(received).toEqual(await failure(() => directAnthropic(stack).messages.create(HELLO, options)));
      expect(received!.status).toBe(status);
      const [span] = await path.llmSpans();
      checkErrorSpan(span, String((received!.error as any).error.message).slice(0, 15));
    });
  }
});

test("models pass through the proxy, and without Kalmia's key the proxy answers 401", async () => {
  const path = new MatrixPath("proxy", stack, "anthropic-models");
  expect(await path.anthropic().models.retrieve(MODEL)).toEqual(await directAnthropic(stack).models.retrieve(MODEL));
  const keyless = new Anthropic({ baseURL: `${stack.kalmiaUrl}/api/v1`, apiKey: "sk-ant-test", maxRetries: 0 });
  expect((await failure(() => keyless.messages.create(HELLO)))!.status).toBe(401);
  expect((await failure(() => keyless.models.retrieve(MODEL)))!.status).toBe(401);
});
