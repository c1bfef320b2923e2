/**
 * The live feed's own share of live-tail latency: bus.publish() to the event
 * arriving at an SSE subscriber over a real socket, with no database in the
 * path. Compare with bench/live.ts (whole path: call → writer → commit → feed).
 *
 *   bun bench/live-feed-only.ts [--rate 200] [--seconds 10] [--subscribers 1]
 */
import { Elysia } from "elysia";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { parseArgs } from "node:util";
import { createLiveBus } from "../server/live/bus.ts";
import { liveRoutes } from "../server/live/live-routes.ts";
import { machine, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: { rate: { type: "string", default: "200" }, seconds: { type: "string", default: "10" }, subscribers: { type: "string", default: "1" } },
});
const rate = Number(values.rate);
const calls = Math.round(rate * Number(values.seconds));
const subscriberCount = Number(values.subscribers);

const bus = createLiveBus();
const app = new Elysia().use(liveRoutes(bus)).listen({ port: 0, hostname: "127.0.0.1" });
const url = `http://127.0.0.1:${app.server!.port}/api/v1/live`;
const publishedAt: number[] = [];
const latencies: number[] = [];
const feed = new AbortController();

const readers = await Promise.all(
  Array.from({ length: subscriberCount }, async (_, n) => {
    const response = await fetch(url, { signal: feed.signal });
    const events = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    let received = 0;
    const done = (async () => {
      try {
        for await (const event of events) {
          if (event.event !== "span") continue;
          const i = Number(JSON.parse(event.data).seq);
          if (n === 0) latencies.push(performance.now() - publishedAt[i]!);
          if (++received === calls) return;
        }
      } catch {
        // aborted
      }
    })();
    return { done };
  }),
);

const started = performance.now();
for (let i = 0; i < calls; i++) {
  const wait = started + (i * 1000) / rate - performance.now();
  if (wait > 0) await Bun.sleep(wait);
  publishedAt[i] = performance.now();
  // A realistic payload: an LLM span with a short conversation.
  bus.publish({
    traces: [{ id: `t${i}`, project: "bench", name: "call", status: "ok", input: [{ role: "user", content: `question ${i}` }], output: "x".repeat(400) }],
    spans: [{ id: `s${i}`, seq: i, trace_id: `t${i}`, type: "llm", input: [{ role: "user", content: `question ${i}` }], output: { role: "assistant", content: "x".repeat(400) } }],
  });
}
await Promise.race([Promise.all(readers.map((r) => r.done)), Bun.sleep(10_000)]);
feed.abort();
const s = summarize(latencies);
console.log(
  JSON.stringify({ bench: "live-feed-only", rate_per_s: rate, calls, subscribers: subscriberCount, received: latencies.length, p50_ms: +s.p50.toFixed(2), p99_ms: +s.p99.toFixed(2), machine: machine() }),
);
await bus.close();
await app.stop(true);
