import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
const CHAT = { model: "gpt-4o", messages: [{ role: "user", content: "Hello!" }] };
const MESSAGE = { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "Hello!" }] };
const ANTHROPIC_HEADERS = { "x-api-key": "sk-ant-test-key", "anthropic-version": "2023-06-01", "content-type": "application/json" };

beforeAll(async () => {
  stack = await startProxyStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const post = (url: string, headers: Record<string, string>, body: unknown) => fetch(url, { method: "POST", headers, body: JSON.stringify(body) });

test("provider headers and credentials are forwarded as given; x-kalmia-* and hop-by-hop headers are not", async () => {
  const headers = {
    ...ANTHROPIC_HEADERS,
    authorization: "Bearer sk-ant-oauth-token",
    "anthropic-beta": "prompt-caching-2024-07-31",
    "x-custom-header": "kept",
    "x-kalmia-project": "header-test",
    "x-kalmia-name": "named call",
    "x-kalmia-metadata": '{"user":"u1"}',
    "proxy-authorization": "Basic c2VjcmV0",
  };
  const answer = await post(`${stack.proxyUrl}/messages?beta=true`, headers, MESSAGE);
  expect(answer.status).toBe(200);
  const forwarded = stack.upstream.lastRequest()!;
  expect(forwarded.path).toBe("/v1/messages");
  expect(forwarded.headers).toMatchObject({ "x-api-key": "sk-ant-test-key", authorization: "Bearer sk-ant-oauth-token", "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31", "x-custom-header": "kept" });
  expect(Object.keys(forwarded.headers).filter((name) => name.startsWith("x-kalmia-") || name === "proxy-authorization")).toEqual([]);
  const trace = await stack.finishedTrace(answer.headers.get("x-kalmia-trace-id")!);
  expect(trace.project).toBe("header-test");
  expect(trace.spans[0].name).toBe("named call");
  expect(trace.spans[0].metadata.user).toBe("u1");
});

test("OpenAI's organization and project headers are forwarded; headers named in Connection are not", async () => {
  const headers = { "content-type": "application/json", authorization: "Bearer sk-test-key", "openai-organization": "org-1", "openai-project": "proj-1", connection: "keep-alive, x-hop", "x-hop": "drop me" };
  const answer = await post(`${stack.proxyUrl}/chat/completions`, headers, CHAT);
  expect(answer.status).toBe(200);
  const forwarded = stack.upstream.lastRequest()!.headers;
  expect(forwarded).toMatchObject({ authorization: "Bearer sk-test-key", "openai-organization": "org-1", "openai-project": "proj-1" });
  expect(forwarded["x-hop"]).toBeUndefined();
});

test("the query string is forwarded", async () => {
  await post(`${stack.proxyUrl}/messages?beta=true`, ANTHROPIC_HEADERS, MESSAGE);
  expect(stack.upstream.lastRequest()).toMatchObject({ path: "/v1/messages", query: "?beta=true" });
});

test("streamed bytes reach the caller exactly as the provider sent them", async () => {
  const request = { ...MESSAGE, stream: true };
  const viaProxy = await (await post(`${stack.proxyUrl}/messages`, ANTHROPIC_HEADERS, request)).text();
  const viaDirect = await (await post(`${stack.upstream.url}/v1/messages`, ANTHROPIC_HEADERS, request)).text();
  expect(viaProxy).toBe(viaDirect);
  const openaiHeaders = { authorization: "Bearer sk-test-key", "content-type": "application/json" };
  const chat = { ...CHAT, stream: true };
  const chatViaProxy = await (await post(`${stack.proxyUrl}/chat/completions`, openaiHeaders, chat)).text();
  const chatDirect = await (await post(`${stack.upstream.url}/v1/chat/completions`, openaiHeaders, chat)).text();
  expect(chatViaProxy).toBe(chatDirect);
});

test("x-kalmia-trace-id and x-kalmia-parent-span-id put the call inside an existing trace", async () => {
  const headers = { ...ANTHROPIC_HEADERS, "x-kalmia-trace-id": "agent-run-1", "x-kalmia-parent-span-id": "step-2" };
  const answer = await post(`${stack.proxyUrl}/messages`, headers, MESSAGE);
  expect(answer.headers.get("x-kalmia-trace-id")).toBe("agent-run-1");
  const trace = await stack.finishedTrace("agent-run-1");
  expect(trace.spans[0]).toMatchObject({ trace_id: "agent-run-1", root_span_id: "agent-run-1", span_parents: ["step-2"] });
});

test("a W3C traceparent joins its trace with its parent span", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const headers = { ...ANTHROPIC_HEADERS, traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
  await post(`${stack.proxyUrl}/messages`, headers, MESSAGE);
  const trace = await stack.finishedTrace(traceId);
  expect(trace.spans[0].span_parents).toEqual(["00f067aa0ba902b7"]);
});

test("metadata that is not JSON does not fail the call; the span says it was ignored", async () => {
  const answer = await post(`${stack.proxyUrl}/messages`, { ...ANTHROPIC_HEADERS, "x-kalmia-metadata": "{oops" }, MESSAGE);
  expect(answer.status).toBe(200);
  const trace = await stack.finishedTrace(answer.headers.get("x-kalmia-trace-id")!);
  expect(trace.spans[0].metadata.kalmia_warning).toContain("x-kalmia-metadata");
});

test("models pass through unrecorded with the provider's answers; embeddings are answered as the provider answers them", async () => {
  const proxied = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "pass-through" } });
  const direct = new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test-key", maxRetries: 0 });
  const request = { model: "text-embedding-3-small", input: "hello" };
  expect(await proxied.embeddings.create(request)).toEqual(await direct.embeddings.create(request));
  expect((await proxied.models.list()).data).toEqual((await direct.models.list()).data);
  const listed = async () => ((await (await fetch(`${stack.kalmia.url}/api/v1/traces?project=pass-through`)).json()) as any).traces;
  for (let attempt = 0; attempt < 200 && (await listed()).length === 0; attempt++) await Bun.sleep(25);
  // The embeddings call is recorded (embeddings-proxy.test.ts); the models list is not.
  expect((await listed()).map((trace: any) => trace.name)).toEqual(["openai embeddings"]);
});
