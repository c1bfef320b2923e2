// The openai npm client through the proxy and @kalmia/sdk: the caller receives what the fake provider
// sends directly, and the stored llm span holds model, provider, system prompt, output (tool calls
// included), tokens, cost where priced, and time to first token for streams.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { ANSWER, checkErrorSpan, checkLlmSpan, collect, directOpenAI, failure, finishedTraces, KEY, MatrixPath, SYSTEM, startMatrixStack, type MatrixStack, type PathName } from "./matrix-stack.ts";

let stack: MatrixStack;
beforeAll(async () => {
  stack = await startMatrixStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const MESSAGES = [
  { role: "system" as const, content: SYSTEM },
  { role: "user" as const, content: "Hello!" },
];
const WEATHER = [
  { role: "system" as const, content: SYSTEM },
  { role: "user" as const, content: "Weather in Tokyo and New York?" },
];
const TOOL = {
  type: "function" as const,
  function: { name: "get_weather", description: "Get weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true },
};

type Case = { call: (client: OpenAI) => Promise<unknown>; streamed?: boolean; tool?: string; text?: string | null };

const CASES: Record<string, Case> = {
  chat: { call: (c) => c.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }) },
  // No stream_options: the caller asked for no usage, and must get none.
  chat_stream: { streamed: true, call: async (c) => collect(await c.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true })) },
  chat_tools_stream: {
    streamed: true,
    tool: "get_weather",
    text: null,
    call: async (c) => collect(await c.chat.completions.create({ model: "gpt-4o", messages: WEATHER, tools: [TOOL], stream: true })),
  },
  chat_stream_helper: {
    streamed: true,
    call: async (c) => {
      const stream = c.chat.completions.stream({ model: "gpt-4o", messages: MESSAGES });
      return { chunks: await collect(stream), final: await stream.finalChatCompletion() };
    },
  },
  chat_parse_tools: { tool: "get_weather", text: null, call: (c) => c.chat.completions.parse({ model: "gpt-4o", messages: WEATHER, tools: [TOOL] }) },
  responses: { call: (c) => c.responses.create({ model: "gpt-4o", instructions: SYSTEM, input: "Hello!" }) },
  responses_stream: { streamed: true, call: async (c) => collect(await c.responses.create({ model: "gpt-4o", instructions: SYSTEM, input: "Hello!", stream: true })) },
  with_response: {
    call: async (c) => {
      const { data, response } = await c.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }).withResponse();
      return { data, status: response.status };
    },
  },
  as_response_stream: {
    streamed: true,
    call: async (c) => {
      const response = await c.chat.completions.create({ model: "gpt-4o", messages: MESSAGES, stream: true, stream_options: { include_usage: true } }).asResponse();
      return response.text();
    },
  },
};

const PATHS: PathName[] = ["proxy", "sdk"];

describe.each(PATHS)("openai npm through the %s", (pathName) => {
  for (const [name, { call, streamed = false, tool = null, text = ANSWER }] of Object.entries(CASES)) {
    test(`${name}: the caller gets what the provider sends, and the span is complete`, async () => {
      const path = new MatrixPath(pathName, stack, `openai-${name}`);
      const received = await call(path.openai());
      expect(received).toEqual(await call(directOpenAI(stack)));
      const [span] = await path.llmSpans();
      checkLlmSpan(span, pathName, { model: "gpt-4o", provider: "openai", text, tool, streamed });
    });
  }

  test("embeddings: the caller gets the vectors, the span their count, size and usage", async () => {
    const path = new MatrixPath(pathName, stack, "openai-embeddings");
    const request = { model: "text-embedding-3-small", input: ["first text", "second text"] };
    expect(await path.openai().embeddings.create(request)).toEqual(await directOpenAI(stack).embeddings.create(request));
    const [span] = await path.llmSpans();
    checkLlmSpan(span, pathName, { model: "text-embedding-3-small", provider: "openai", system: null, text: null, completionTokens: false });
    expect(span.metadata.kind).toBe("embedding");
    expect(span.output).toEqual({ embeddings: 2, dimensions: 8 });
  });

  for (const status of [429, 401]) {
    test(`a provider ${status} reaches the caller as it would directly, and the span records the error`, async () => {
      const path = new MatrixPath(pathName, stack, `openai-${status}`);
      const options = { headers: { "x-fake-scenario": `error-${status}` } };
      const received = await failure(() => path.openai().chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, options));
      expect(received).toEqual(await failure(() => directOpenAI(stack).chat.completions.create({ model: "gpt-4o", messages: MESSAGES }, options)));
      expect(received!.status).toBe(status);
      const [span] = await path.llmSpans();
      checkErrorSpan(span, String((received!.error as any).message).slice(0, 20));
    });
  }
});

test("models pass through the proxy unrecorded", async () => {
  const path = new MatrixPath("proxy", stack, "openai-models");
  expect(await path.openai().models.retrieve("gpt-4o")).toEqual(await directOpenAI(stack).models.retrieve("gpt-4o"));
  const listed = [];
  for await (const model of path.openai().models.list()) listed.push(model.id);
  expect(listed).toContain("gpt-4o");
  expect(await finishedTraces(stack.kalmiaUrl, path.project, 0)).toEqual([]);
});

test("without Kalmia's key the proxy answers 401 on every path the client calls", async () => {
  const client = new OpenAI({ baseURL: `${stack.kalmiaUrl}/api/v1`, apiKey: "sk-test", maxRetries: 0 });
  for (const call of [
    () => client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES }),
    () => client.responses.create({ model: "gpt-4o", input: "x" }),
    () => client.embeddings.create({ model: "text-embedding-3-small", input: "x" }),
    () => client.models.retrieve("gpt-4o"),
  ]) {
    expect((await failure(call))!.status).toBe(401);
  }
});

test("an SDK whose Kalmia key is wrong stores nothing and never disturbs the call", async () => {
  const path = new MatrixPath("sdk", stack, "openai-sdk-401");
  const { initLogger, flush } = await import("./packed-sdk.ts");
  initLogger({ projectName: path.project, baseUrl: stack.kalmiaUrl, apiKey: `${KEY}-wrong` });
  expect(await path.openai().chat.completions.create({ model: "gpt-4o", messages: MESSAGES })).toEqual(await directOpenAI(stack).chat.completions.create({ model: "gpt-4o", messages: MESSAGES }));
  await flush({ timeoutMs: 5000 });
  expect(await finishedTraces(stack.kalmiaUrl, path.project, 0)).toEqual([]);
});
