/**
 * Live-tail latency: from the end of a call to its span event reaching an SSE
 * subscriber of GET /api/v1/live, at a steady call rate.
 *
 *   bun bench/live.ts [--mode proxy|spans] [--rate 200] [--seconds 10]
 *
 * proxy: OpenAI chat calls through Kalmia's proxy to the fake upstream; the
 *        clock starts when the caller has read the whole response.
 * spans: the SDK path, a finished span row POSTed to /api/v1/spans; the clock
 *        starts when the POST is sent.
 * Both run against a real server process (PGlite) started by the test harness.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { parseArgs } from "node:util";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { startFakeUpstream } from "../test/fake-upstream/start-fake-upstream.ts";
import { machine, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: { mode: { type: "string", default: "proxy" }, rate: { type: "string", default: "200" }, seconds: { type: "string", default: "10" } },
});
const mode = values.mode === "spans" ? "spans" : "proxy";
const rate = Number(values.rate);
const calls = Math.round(rate * Number(values.seconds));
const project = `bench-live-${mode}`;

const upstream = await startFakeUpstream();
const kalmia = await startKalmia({ OPENAI_BASE_URL: `${upstream.url}/v1` });
const endedAt = new Map<number, number>();
const arrivedAt = new Map<number, number>();
const feed = new AbortController();

try {
  const response = await fetch(`${kalmia.url}/api/v1/live?project=${project}`, { signal: feed.signal });
  const events = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reading = (async () => {
    try {
      for await (const event of events) {
        if (event.event !== "span") continue;
        const at = performance.now();
        const span = JSON.parse(event.data) as { status?: string; input?: unknown };
        if (span.status === "running") continue;
        const nonce = /bench-nonce-(\d+)/.exec(JSON.stringify(span.input))?.[1];
        if (nonce !== undefined && !arrivedAt.has(Number(nonce))) arrivedAt.set(Number(nonce), at);
      }
    } catch {
      // aborted at the end
    }
  })();

  const call = async (i: number) => {
    const text = `bench-nonce-${i}`;
    if (mode === "proxy") {
      const res = await fetch(`${kalmia.url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-bench", "x-kalmia-project": project },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: text }] }),
      });
      await res.arrayBuffer();
      endedAt.set(i, performance.now());
    } else {
      const now = Date.now() / 1000;
      endedAt.set(i, performance.now());
      const row = { id: `live-${i}`, root_span_id: `live-${i}`, span_attributes: { name: "bench", type: "llm" }, input: text, output: "ok", metrics: { start: now - 0.1, end: now } };
      const res = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ project, rows: [row] }) });
      await res.arrayBuffer();
    }
  };

  // Open-loop schedule: call i starts at i/rate seconds, whether or not earlier ones finished.
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < calls; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    inFlight.push(call(i));
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 15_000;
  while (arrivedAt.size < calls && performance.now() < deadline) await Bun.sleep(50);
  feed.abort();
  await reading;

  const latencies = [...endedAt].filter(([i]) => arrivedAt.has(i)).map(([i, end]) => Math.max(0, arrivedAt.get(i)! - end));
  const s = summarize(latencies);
  const result = {
    bench: "live-tail",
    mode,
    rate_per_s: rate,
    achieved_rate_per_s: Math.round(calls / sendSeconds),
    calls,
    events_received: arrivedAt.size,
    p50_ms: +s.p50.toFixed(1),
    p95_ms: +s.p95.toFixed(1),
    p99_ms: +s.p99.toFixed(1),
    max_ms: +Math.max(...latencies).toFixed(1),
    machine: machine(),
  };
  console.log(JSON.stringify(result));
} finally {
  feed.abort();
  await kalmia.stop();
  await upstream.stop();
}
