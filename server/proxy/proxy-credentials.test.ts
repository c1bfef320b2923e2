import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { openFeed } from "../../test/harness/sse-feed.ts";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";
import { REDACTED } from "./scrub-secrets.ts";

// The fake upstream's `echo-key` scenario repeats the call's key in the answer, in error messages
// and in the request-id header; the prompts below carry it too, as careless apps do.
const OPENAI_KEY = "sk-proj-recorded-nowhere-0123456789";
const ANTHROPIC_KEY = "sk-ant-api03-recorded-nowhere-987654";
const echoKey = (extra = "") => ({ headers: { "x-fake-scenario": `echo-key${extra}` } });

let stack: ProxyStack;

beforeAll(async () => {
  stack = await startProxyStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const openaiClient = (project: string) => new OpenAI({ baseURL: stack.proxyUrl, apiKey: OPENAI_KEY, maxRetries: 0, defaultHeaders: { "x-kalmia-project": project } });
const anthropicClient = (project: string) => new Anthropic({ baseURL: stack.proxyUrl, apiKey: ANTHROPIC_KEY, maxRetries: 0, defaultHeaders: { "x-kalmia-project": project } });

/** Everything Kalmia kept of a project: the stored trace and the export's lines. */
async function storedText(traceId: string, project: string): Promise<string> {
  const trace = await stack.finishedTrace(traceId);
  const exported = await (await fetch(`${stack.kalmia.url}/api/v1/traces/export?project=${project}`)).text();
  expect(exported).toContain(traceId);
  return JSON.stringify(trace) + exported;
}

const chatLeakingKey = (key: string) => ({
  model: "gpt-4o",
  messages: [
    { role: "system" as const, content: `You are a bot. Our key is ${key}; never repeat it.` },
    { role: "user" as const, content: "What is the key?" },
  ],
  user: key,
  metadata: { api_key: key },
});

test("the call's key is stored nowhere: not from the prompt, the body's user and metadata, the echoed request id nor the answer", async () => {
  const { data, response } = await openaiClient("keys-chat").chat.completions.create(chatLeakingKey(OPENAI_KEY), echoKey()).withResponse();
  expect(data.choices[0]!.message.content).toContain(OPENAI_KEY);
  expect(response.headers.get("x-request-id")).toContain(OPENAI_KEY);
  const traceId = response.headers.get("x-kalmia-trace-id")!;
  const stored = await storedText(traceId, "keys-chat");
  expect(stored).not.toContain(OPENAI_KEY);
  const [span] = (await stack.finishedTrace(traceId)).spans;
  expect(span.metadata).toMatchObject({ user: REDACTED, metadata: { api_key: REDACTED }, request_id: `req_${REDACTED}` });
  expect(span.input[0].content).toBe(`You are a bot. Our key is ${REDACTED}; never repeat it.`);
});

test("an upstream error that repeats the key is stored without it", async () => {
  const error = await openaiClient("keys-error").chat.completions.create(chatLeakingKey(OPENAI_KEY), echoKey(", error-401")).catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect(error.message).toContain(OPENAI_KEY);
  const traceId = error.headers.get("x-kalmia-trace-id");
  const stored = await storedText(traceId, "keys-error");
  expect(stored).not.toContain(OPENAI_KEY);
  expect((await stack.finishedTrace(traceId)).spans[0].error.message).toContain(`Key provided: ${REDACTED}.`);
});

test("an Anthropic stream that repeats its x-api-key is stored without it", async () => {
  const { data: stream, response } = await anthropicClient("keys-stream")
    .messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 100, system: `Key: ${ANTHROPIC_KEY}`, stream: true, messages: [{ role: "user", content: "Hi" }] }, echoKey())
    .withResponse();
  let text = "";
  for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  expect(text).toContain(ANTHROPIC_KEY);
  const stored = await storedText(response.headers.get("x-kalmia-trace-id")!, "keys-stream");
  expect(stored).not.toContain(ANTHROPIC_KEY);
  expect(stored).toContain(`Your key is ${REDACTED}.`);
});

test("the live feed never shows the key, neither in the prompt nor in the answer while it streams", async () => {
  const feed = await openFeed(`${stack.kalmia.url}/api/v1/live?project=keys-live`);
  const stream = await openaiClient("keys-live").chat.completions.create({ ...chatLeakingKey(OPENAI_KEY), stream: true }, { headers: { "x-fake-scenario": "echo-key", "x-fake-delay-ms": "30" } });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  expect(text).toContain(OPENAI_KEY);
  const ended = await feed.waitFor((events) => events.some((event) => event.event === "trace" && JSON.parse(event.data).status === "ok"));
  await feed.close();
  expect(ended).toBe(true);
  const partials = feed.events.filter((event) => event.event === "span" && JSON.parse(event.data).status === "running" && JSON.parse(event.data).output?.content);
  expect(partials.length).toBeGreaterThan(0);
  for (const event of feed.events) expect(event.data).not.toContain(OPENAI_KEY);
});

test("cookies are not forwarded upstream, and a cookie value is not stored", async () => {
  const session = "kalmia-session-value-0123456789";
  const answer = await fetch(`${stack.proxyUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test-key", "content-type": "application/json", cookie: `kalmia_session=${session}; theme=dark`, "x-kalmia-project": "keys-cookie" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: `my cookie is ${session}` }] }),
  });
  expect(answer.status).toBe(200);
  expect(stack.upstream.lastRequest()!.headers.cookie).toBeUndefined();
  expect(await storedText(answer.headers.get("x-kalmia-trace-id")!, "keys-cookie")).not.toContain(session);
});

test("an Azure-style ?api-key= still reaches the provider but is not stored", async () => {
  const queryKey = "azure-query-key-0123456789abcdef";
  const client = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultQuery: { "api-key": queryKey }, defaultHeaders: { "x-kalmia-project": "keys-query" } });
  const { response } = await client.chat.completions.create(chatLeakingKey(queryKey)).withResponse();
  expect(stack.upstream.lastRequest()!.query).toContain(`api-key=${queryKey}`);
  expect(await storedText(response.headers.get("x-kalmia-trace-id")!, "keys-query")).not.toContain(queryKey);
});
