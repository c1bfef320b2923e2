// Users, sessions, tags and metadata of proxied calls (issue 22): from the x-kalmia-* headers, else from
// what the request body says, recorded while the body goes upstream as the caller sent it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;
const HELLO = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hello!" }] };

beforeAll(async () => {
  stack = await startProxyStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

const client = (headers: Record<string, string>) =>
  new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "ctx-proxy", ...headers } });
const list = async (query: string) => (await (await fetch(`${stack.kalmia.url}/api/v1/traces?project=ctx-proxy&${query}`)).json()).traces as any[];

test("the user, session and tags headers are recorded on the trace, filterable, and never forwarded", async () => {
  const openai = client({ "x-kalmia-user-id": "user-123", "x-kalmia-session-id": "chat-9", "x-kalmia-tags": "prod, v2", "x-kalmia-metadata": '{"tenant":"acme"}' });
  const { response } = await openai.chat.completions.create(HELLO).withResponse();
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace).toMatchObject({ user_id: "user-123", session_id: "chat-9", tags: ["prod", "v2"], metadata: { tenant: "acme" } });
  expect(Object.keys(stack.upstream.lastRequest()!.headers).filter((h) => h.startsWith("x-kalmia"))).toEqual([]);
  expect((await list("user=user-123&session=chat-9&tag=v2&metadata.tenant=acme")).map((t) => t.id)).toEqual([trace.id]);
});

test("an OpenAI body's user and metadata are recorded when no header says otherwise, and forwarded untouched", async () => {
  const body = { ...HELLO, user: "body-user", metadata: { session_id: "body-session", feature: "search" }, store: true };
  const { response } = await client({}).chat.completions.create(body).withResponse();
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace).toMatchObject({ user_id: "body-user", session_id: "body-session", metadata: { feature: "search" } });
  expect(stack.upstream.lastRequest()!.body).toMatchObject({ user: "body-user", metadata: { session_id: "body-session", feature: "search" } });
  // A header wins over the body.
  const { response: second } = await client({ "x-kalmia-user-id": "header-user" }).chat.completions.create(body).withResponse();
  expect(await stack.finishedTrace(second.headers.get("x-kalmia-trace-id")!)).toMatchObject({ user_id: "header-user", session_id: "body-session" });
});

test("an Anthropic body's metadata.user_id is the trace's user", async () => {
  const anthropic = new Anthropic({ baseURL: stack.proxyUrl, apiKey: "sk-ant-test-key", maxRetries: 0, defaultHeaders: { "x-kalmia-project": "ctx-proxy" } });
  const { response } = await anthropic.messages.create({
    model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "Hi" }], metadata: { user_id: "anthropic-user" },
  }).withResponse();
  expect(await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!)).toMatchObject({ user_id: "anthropic-user" });
  expect(stack.upstream.lastRequest()!.body).toMatchObject({ metadata: { user_id: "anthropic-user" } });
});

test("a 5-turn session sent with a session header comes back as one session, its turns in order", async () => {
  const openai = client({ "x-kalmia-session-id": "support-42", "x-kalmia-user-id": "customer-7" });
  const ids: string[] = [];
  for (let turn = 1; turn <= 5; turn++) {
    const { response } = await openai.chat.completions.create({ ...HELLO, messages: [{ role: "user", content: `turn ${turn}` }] }).withResponse();
    ids.push(response.headers.get("x-kalmia-trace-id")!);
    await stack.finishedTrace(ids.at(-1)!);
  }
  const session = await (await fetch(`${stack.kalmia.url}/api/v1/sessions/support-42?project=ctx-proxy`)).json();
  expect(session).toMatchObject({ id: "support-42", project: "ctx-proxy", user_id: "customer-7", trace_count: 5, errors: 0 });
  expect(session.traces.map((t: any) => t.id)).toEqual(ids);
  expect(session.traces.map((t: any) => t.input.at(-1).content)).toEqual(["turn 1", "turn 2", "turn 3", "turn 4", "turn 5"]);
  expect(session.total_tokens).toBe(session.traces.reduce((n: number, t: any) => n + t.total_tokens, 0));
  const sessions = await (await fetch(`${stack.kalmia.url}/api/v1/sessions?project=ctx-proxy`)).json();
  expect(sessions.sessions[0]).toMatchObject({ id: "support-42", trace_count: 5 });
});

test("a 10,000-character tag header never fails the call: the call goes through, the tag is cut to its bound", async () => {
  const { data, response } = await client({ "x-kalmia-tags": "t".repeat(10_000) }).chat.completions.create(HELLO).withResponse();
  expect(data.choices.length).toBe(1);
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace.tags).toEqual(["t".repeat(200)]);
});
