import { afterAll, beforeAll, expect, test } from "bun:test";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

let stack: ProxyStack;

beforeAll(async () => {
  stack = await startProxyStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

/** Trace statuses the live feed reports for one project, in order. */
async function watchTraces(project: string, signal: AbortSignal) {
  const response = await fetch(`${stack.kalmia.url}/api/v1/live?project=${project}`, { signal });
  const events = response.body!.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).pipeThrough(new EventSourceParserStream()).getReader();
  return async function next(status: string): Promise<any> {
    for (;;) {
      const { value, done } = await events.read();
      if (done) throw new Error("live feed ended");
      if (value.event !== "trace") continue;
      const trace = JSON.parse(value.data);
      if (trace.status === status) return trace;
    }
  };
}

test("a proxied call shows in the live feed as running when it starts and again when it ends", async () => {
  const feed = new AbortController();
  const next = await watchTraces("live-test", feed.signal);
  const call = new AbortController();
  const response = await fetch(`${stack.proxyUrl}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-test-key", "anthropic-version": "2023-06-01", "x-kalmia-project": "live-test", "x-fake-scenario": "stall" },
    body: JSON.stringify({ model: "claude-sonnet-4-20250514", max_tokens: 10, stream: true, messages: [{ role: "user", content: "Hi" }] }),
    signal: call.signal,
  });
  const traceId = response.headers.get("x-kalmia-trace-id");
  const running = await next("running");
  expect(running).toMatchObject({ id: traceId, source: "proxy", provider: "anthropic" });
  call.abort();
  const ended = await next("cancelled");
  expect(ended.id).toBe(traceId);
  feed.abort();
});

test("a fast proxied call still shows as running in the live feed at its start", async () => {
  const feed = new AbortController();
  const next = await watchTraces("live-fast", feed.signal);
  const response = await fetch(`${stack.proxyUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "x-kalmia-project": "live-fast", "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }),
  });
  await response.text();
  const traceId = response.headers.get("x-kalmia-trace-id");
  expect((await next("running")).id).toBe(traceId);
  expect((await next("ok")).id).toBe(traceId);
  feed.abort();
});

test("a proxied streaming call's text grows in the live feed while it streams", async () => {
  const feed = new AbortController();
  const live = await fetch(`${stack.kalmia.url}/api/v1/live?project=live-grow`, { signal: feed.signal });
  const events = live.body!.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).pipeThrough(new EventSourceParserStream()).getReader();
  const response = await fetch(`${stack.proxyUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "x-kalmia-project": "live-grow", "content-type": "application/json", "x-fake-scenario": "slow", "x-fake-chunks": "30", "x-fake-delay-ms": "40" },
    body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: "Tell me a story" }] }),
  });
  const reading = response.text();
  const seen: string[] = [];
  for (;;) {
    const { value, done } = await events.read();
    if (done) break;
    if (value.event !== "span") continue;
    const span = JSON.parse(value.data);
    if (span.status === "running" && span.output?.content) seen.push(span.output.content);
    if (span.status === "ok") break;
  }
  await reading;
  feed.abort();
  expect(seen.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true);
    expect(seen[i]!.length).toBeGreaterThanOrEqual(seen[i - 1]!.length);
  }
  expect(seen.at(-1)!.length).toBeGreaterThan(seen[0]!.length);
});
