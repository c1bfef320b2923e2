/**
 * @kalmia/sdk (TypeScript) overhead on the caller's path.
 *
 *     ./node_modules/.bin/bun bench/sdk-ts.ts          (from the repo root; ITERATIONS=… to change)
 *
 * 1. `traced()` on an empty function vs the bare function.
 * 2. A wrapped call vs the same unwrapped call of the real `openai` / `@anthropic-ai/sdk` clients whose
 *    `fetch` answers at once with a body recorded from the fake upstream, so the difference is the SDK's
 *    own work per call: chat (plain and a fully read stream) and Anthropic messages.
 * 2b. The SDK's own work for one call with no client at all: span start, result mapping and span end,
 *    around a method that returns a parsed completion at once. The client's own time (and its jitter)
 *    is out of this one, so it is the closest to "overhead on the caller's path".
 * 3. The same calls end to end over HTTP against the fake upstream, wrapped and unwrapped interleaved:
 *    the overhead buried in network noise, shown to sanity-check the isolated numbers.
 *
 * Spans go to a sink in another process that answers 200, so the background sender does its real work
 * (encoding, batching, HTTP) during the measurements; rows are flushed between rounds, untimed, so the
 * bounded queue never fills and dropped rows never flatter the numbers.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { flush, initLogger, traced, wrapAnthropic, wrapOpenAI } from "../sdk/typescript/src/index.ts";
import { chatCreate } from "../sdk/typescript/src/openai/chat-completions.ts";
import { traceLlmCall } from "../sdk/typescript/src/wrap/trace-llm-call.ts";
import { startFakeUpstream } from "../test/fake-upstream/start-fake-upstream.ts";
import { machine, summarize } from "./stats.ts";

const ITERATIONS = Number(process.env.ITERATIONS ?? 5000);
const ROUND = 500;
const HELLO = [{ role: "user" as const, content: "Hello!" }];
const now = () => Bun.nanoseconds() / 1000; // µs

async function startSink(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ["-e", `const s = Bun.serve({ port: 0, fetch: () => new Response('{"accepted":1}') }); console.log("sink " + s.port);`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve) => child.stdout.on("data", (c: Buffer) => resolve(/sink (\d+)/.exec(c.toString())![1]!)));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Times `a` and `b` alternately, `iterations` times each, flushing spans between rounds (untimed). */
async function compare(iterations: number, a: () => unknown, b: () => unknown) {
  const times: [number[], number[]] = [[], []];
  for (let done = 0; done < iterations; done += ROUND) {
    for (let i = 0; i < ROUND; i++) {
      for (const [index, fn] of [a, b].entries()) {
        const start = now();
        const result = fn();
        if (result instanceof Promise) await result;
        times[index]!.push(now() - start);
      }
    }
    await flush({ timeoutMs: 10_000 });
  }
  return times.map(summarize);
}

function cannedFetch(body: string, contentType: string): typeof fetch {
  return (async () => new Response(body, { status: 200, headers: { "content-type": contentType, "x-request-id": "req_bench" } })) as unknown as typeof fetch;
}

async function record(url: string, path: string, init: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(init) });
  return { body: await response.text(), type: response.headers.get("content-type") ?? "application/json" };
}

const rows: string[] = [];
const report = (label: string, [wrapped, bare]: ReturnType<typeof summarize>[]) => {
  const f = (n: number) => n.toFixed(1);
  rows.push(
    `| ${label} | ${f(bare!.p50)} / ${f(bare!.p99)} | ${f(wrapped!.p50)} / ${f(wrapped!.p99)} | **${f(wrapped!.p50 - bare!.p50)}** / **${f(wrapped!.p99 - bare!.p99)}** |`,
  );
};

const sink = await startSink();
const upstream = await startFakeUpstream();
initLogger({ projectName: "bench-sdk-ts", baseUrl: sink.url });

// 1. traced() on an empty function.
const empty = () => undefined;
const tracedEmpty = traced(empty, { name: "empty" });
for (let i = 0; i < 2000; i++) tracedEmpty();
report("`traced()` on an empty function", await compare(ITERATIONS * 4, tracedEmpty, empty));

// 2. Isolated: real clients, canned responses recorded from the fake upstream.
const openaiHeaders = { authorization: "Bearer sk" };
const anthropicHeaders = { "x-api-key": "sk", "anthropic-version": "2023-06-01" };
const chat = await record(upstream.url, "/v1/chat/completions", { model: "gpt-4o", messages: HELLO }, openaiHeaders);
const streamOf = (chunks: number) =>
  record(upstream.url, "/v1/chat/completions", { model: "gpt-4o", messages: HELLO, stream: true }, { ...openaiHeaders, "x-fake-chunks": String(chunks) });
const [shortStream, longStream] = await Promise.all([streamOf(2), streamOf(50)]);
const message = await record(upstream.url, "/v1/messages", { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: HELLO }, anthropicHeaders);

const openaiWith = (body: { body: string; type: string }) => new OpenAI({ apiKey: "sk", baseURL: "http://canned/v1", fetch: cannedFetch(body.body, body.type), maxRetries: 0 });
const chatPlain = openaiWith(chat);
const chatWrapped = wrapOpenAI(openaiWith(chat));
const anthropicWith = () => new Anthropic({ apiKey: "sk", baseURL: "http://canned", fetch: cannedFetch(message.body, message.type), maxRetries: 0 });
const messagesPlain = anthropicWith();
const messagesWrapped = wrapAnthropic(anthropicWith());

const parsed = JSON.parse(chat.body);
const returnsParsed = () => parsed;
const chatParams = [{ model: "gpt-4o", messages: HELLO }];
report("SDK work per call, no client (span start + mapping + end)", await compare(ITERATIONS * 4, () => traceLlmCall(chatCreate, returnsParsed, chatPlain, chatParams), () => returnsParsed()));

const readStream = async (client: OpenAI) => {
  const stream = await client.chat.completions.create({ model: "gpt-4o", messages: HELLO, stream: true });
  for await (const _ of stream);
};
report("chat.completions.create, isolated", await compare(ITERATIONS, () => chatWrapped.chat.completions.create({ model: "gpt-4o", messages: HELLO }), () => chatPlain.chat.completions.create({ model: "gpt-4o", messages: HELLO })));
for (const [label, body] of [["2", shortStream], ["50", longStream]] as const) {
  const plain = openaiWith(body);
  const wrapped = wrapOpenAI(openaiWith(body));
  report(`chat.completions.create stream of ${label} text chunks, read fully, isolated`, await compare(ITERATIONS, () => readStream(wrapped), () => readStream(plain)));
}
const msg = { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: HELLO };
report("messages.create, isolated", await compare(ITERATIONS, () => messagesWrapped.messages.create(msg), () => messagesPlain.messages.create(msg)));

// 3. End to end over HTTP against the fake upstream.
const httpPlain = new OpenAI({ apiKey: "sk", baseURL: `${upstream.url}/v1`, maxRetries: 0 });
const httpWrapped = wrapOpenAI(new OpenAI({ apiKey: "sk", baseURL: `${upstream.url}/v1`, maxRetries: 0 }));
report("chat.completions.create over HTTP (fake upstream)", await compare(Math.min(ITERATIONS, 2000), () => httpWrapped.chat.completions.create({ model: "gpt-4o", messages: HELLO }), () => httpPlain.chat.completions.create({ model: "gpt-4o", messages: HELLO })));

console.log(`Machine: ${machine()}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} (shared machine); ${ITERATIONS} iterations per call form (x4 for the first two), interleaved.`);
console.log("| what | unwrapped p50 / p99 (µs) | wrapped p50 / p99 (µs) | overhead p50 / p99 (µs) |");
console.log("|---|---|---|---|");
for (const row of rows) console.log(row);
await upstream.stop();
sink.stop();
process.exit(0);
