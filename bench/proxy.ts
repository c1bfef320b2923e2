/**
 * Proxy benchmark (issue 3), against the fake upstream, the proxy beside a direct call in the same run:
 *   1. added latency p50/p99, concurrency 1 (direct and one proxy alternating, call after call);
 *   2. added latency p50/p99 at a fixed arrival rate (default 500 req/s to each of direct and the proxy);
 *   3. streaming: added time to first token and chunk gaps (64 chunks, 20 ms apart);
 *   4. proxied calls/s with every call persisted (20 ms upstream), with direct probes alongside;
 *   5. server memory (RSS, peak RSS).
 *   ./node_modules/.bin/bun bench/proxy.ts        (PGlite; BENCH_LITELLM=0 skips the LiteLLM peer)
 *   BENCH_DATABASE_URL=postgres://… ./node_modules/.bin/bun bench/proxy.ts   (Kalmia on Postgres)
 *   BENCH_PHASES=c1,rate,stream,persist,peer picks phases; BENCH_ROUNDS, BENCH_RATE, BENCH_RATE_SECONDS,
 *   BENCH_STREAMS, BENCH_WORKERS, BENCH_SECONDS size them; BENCH_FIRST_TOKEN_MS delays the first chunk.
 */
import { loadavg } from "node:os";
import { plainCall, streamCall } from "./proxy-calls.ts";
import { memoryOf, startProcesses, type Target } from "./proxy-targets.ts";
import { machine, summarize } from "./stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 30);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 128);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** When the upstream sends its first chunk: 0 = at once (worst case for the proxy's start-of-call write). */
const FIRST_TOKEN_MS = Number(process.env.BENCH_FIRST_TOKEN_MS ?? 0);

const PHASES = process.env.BENCH_PHASES?.split(",") ?? null;
const runs = (phase: string) => PHASES === null || PHASES.includes(phase);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "n/a");
const report: string[] = [];
const say = (line: string) => (console.log(line), report.push(line));

async function concurrencyOne(targets: Target[]) {
  const samples = new Map(targets.map((t) => [t.name, [] as number[]]));
  for (let i = 0; i < 100; i++) for (const t of targets) await plainCall(t); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    // Rotate the order so no target always runs right after another.
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(i + k) % targets.length]!;
      samples.get(t.name)!.push(await plainCall(t));
    }
  }
  latencyTable(`Concurrency 1, plain chat completion, ${ROUNDS} calls each`, samples);
}

async function fixedRate(direct: Target, proxy: Target) {
  const samples = new Map([direct, proxy].map((t) => [t.name, [] as number[]]));
  let failures = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / RATE;
  const start = performance.now();
  for (let i = 0; i < RATE * RATE_SECONDS; i++) {
    const wait = start + i * interval - performance.now();
    if (wait >= 1) await Bun.sleep(wait);
    for (const t of [direct, proxy]) pending.push(plainCall(t).then((ms) => void samples.get(t.name)!.push(ms), () => void failures++));
  }
  await Promise.all(pending);
  const achieved = (RATE * RATE_SECONDS) / ((performance.now() - start) / 1000);
  latencyTable(`${RATE} req/s to each of direct and ${proxy.name} for ${RATE_SECONDS} s (achieved ≈ ${achieved.toFixed(0)} req/s each, ${failures} failures)`, samples);
}

async function streaming(targets: Target[]) {
  const ttft = new Map(targets.map((t) => [t.name, [] as number[]]));
  const gaps = new Map(targets.map((t) => [t.name, [] as number[]]));
  const totals = new Map(targets.map((t) => [t.name, [] as number[]]));
  for (let i = 0; i < STREAMS; i++) {
    const timings = await Promise.all(targets.map((t) => streamCall(t, 64, 20, FIRST_TOKEN_MS)));
    timings.forEach((timing, k) => {
      const name = targets[k]!.name;
      ttft.get(name)!.push(timing.ttft);
      gaps.get(name)!.push(...timing.gaps);
      totals.get(name)!.push(timing.total);
    });
  }
  latencyTable(`Streaming, 64 chunks 20 ms apart, first after ${FIRST_TOKEN_MS} ms, ${STREAMS} streams each: time to first token`, ttft);
  latencyTable("Streaming: gap between consecutive content chunks (upstream sends every 20 ms)", gaps);
  latencyTable("Streaming: whole stream", totals);
}

/** Closed loop: `workers` callers each calling again as soon as answered, for SECONDS. */
async function closedLoop(targets: { target: Target; workers: number; headers?: Record<string, string> }[]) {
  const samples = new Map(targets.map(({ target }) => [target.name, [] as number[]]));
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  let failures = 0;
  await Promise.all(
    targets.flatMap(({ target, workers, headers }) =>
      Array.from({ length: workers }, async () => {
        while (performance.now() < deadline) {
          await plainCall(target, headers, true).then((ms) => void samples.get(target.name)!.push(ms), () => void failures++);
        }
      }),
    ),
  );
  return { samples, seconds: (performance.now() - start) / 1000, failures, start };
}

async function persisted(direct: Target, proxy: Target, kalmiaUrl: string) {
  const project = "bench-persist";
  const probes = Math.max(1, WORKERS >> 3);
  const run = await closedLoop([{ target: proxy, workers: WORKERS, headers: { "x-kalmia-project": project } }, { target: direct, workers: probes }]);
  const proxied = run.samples.get(proxy.name)!.length;
  const persistedAfter = await waitPersisted(kalmiaUrl, project, proxied, run.start);
  say(`\n#### Persisted throughput: ${WORKERS} proxy workers + ${probes} direct probes, 20 ms upstream, ${SECONDS} s`);
  say(`- proxied calls: ${proxied} in ${run.seconds.toFixed(2)} s = **${(proxied / run.seconds).toFixed(0)} calls/s** answered (${run.failures} failures)`);
  say(`- all ${proxied} traces stored and ended ${persistedAfter === null ? "(NOT within 5 minutes)" : `${(persistedAfter - run.seconds).toFixed(2)} s after the load stopped`} → **${persistedAfter === null ? "n/a" : (proxied / persistedAfter).toFixed(0)} persisted calls/s** (calls ÷ time until the last was stored)`);
  latencyTable("Latency during the persisted-throughput run (includes the 20 ms upstream)", run.samples);
}

async function peerThroughput(direct: Target, peer: Target) {
  const probes = Math.max(1, WORKERS >> 3);
  const run = await closedLoop([{ target: peer, workers: WORKERS }, { target: direct, workers: probes }]);
  const calls = run.samples.get(peer.name)!.length;
  say(`\n#### ${peer.name} throughput (nothing persisted): ${WORKERS} workers + ${probes} direct probes, 20 ms upstream, ${SECONDS} s`);
  say(`- ${calls} calls in ${run.seconds.toFixed(2)} s = **${(calls / run.seconds).toFixed(0)} calls/s** answered (${run.failures} failures)`);
  latencyTable(`Latency during the ${peer.name} throughput run (includes the 20 ms upstream)`, run.samples);
}

/** Seconds from the run's start until every proxied call's trace is stored and ended, or null after 5 minutes. */
async function waitPersisted(kalmiaUrl: string, project: string, expected: number, runStart: number): Promise<number | null> {
  const deadline = performance.now() + 300_000;
  let count = 0;
  while (performance.now() < deadline) {
    // Polled once a second: on PGlite every read runs on the server's one database thread, beside the writer.
    const experiments: any = await (await fetch(`${kalmiaUrl}/api/experiments`)).json();
    count = experiments.experiments.find((e: any) => e.project === project)?.trace_count ?? 0;
    if (count >= expected) {
      const running: any = await (await fetch(`${kalmiaUrl}/api/v1/traces?project=${project}&status=running&limit=1`)).json();
      if (running.traces.length === 0) return (performance.now() - runStart) / 1000;
    }
    await Bun.sleep(1000);
  }
  const health: any = await (await fetch(`${kalmiaUrl}/api/health`)).json();
  say(`- after 5 minutes: ${count} of ${expected} traces stored; writer ${JSON.stringify(health.writer)}`);
  return null;
}

function latencyTable(title: string, samples: Map<string, number[]>) {
  const direct = summarize(samples.get("direct") ?? []);
  say(`\n#### ${title}`);
  say("| target | n | p50 ms | p99 ms | added p50 ms | added p99 ms |");
  say("|---|---|---|---|---|---|");
  for (const [name, values] of samples) {
    const s = summarize(values);
    const added = name === "direct" ? ["—", "—"] : [fmt(s.p50 - direct.p50), fmt(s.p99 - direct.p99)];
    say(`| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${added[0]} | ${added[1]} |`);
  }
}

function memory(targets: Target[]) {
  say("\n#### Memory after the run");
  for (const t of targets) {
    const m = memoryOf(t.pid);
    say(`- ${t.name}: RSS ${m ? m.rss.toFixed(0) : "n/a"} MiB, peak RSS ${m ? m.peak.toFixed(0) : "n/a"} MiB`);
  }
}

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const processes = await startProcesses({ litellm: process.env.BENCH_LITELLM !== "0", databaseUrl });
try {
  const { upstream: direct, kalmia, litellm } = processes;
  const proxies: Target[] = litellm ? [kalmia, litellm] : [kalmia];
  say(`### Proxy benchmark — ${new Date().toISOString()}`);
  say(`Storage: ${databaseUrl ? "Postgres (local, fsync off)" : "PGlite (embedded)"}. Machine: ${machine()}. Command: \`./node_modules/.bin/bun bench/proxy.ts\` (rounds ${ROUNDS}, rate ${RATE}/s × ${RATE_SECONDS} s, ${STREAMS} streams, ${WORKERS} workers × ${SECONDS} s).`);
  say(`Load average at the start (1/5/15 min): ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
  say(litellm ? "LiteLLM proxy: running (`.venv-bench`, 1 uvicorn worker, no database)." : "LiteLLM proxy: not running (see BENCHMARKS.md).");
  // Pairs, not one rotation: a slow peer between two Kalmia calls would hide Kalmia's own background work.
  if (runs("c1")) for (const proxy of proxies) await concurrencyOne([direct, proxy]);
  // LiteLLM with one worker answers a few dozen calls/s: an open-loop 500 req/s run would only measure its
  // backlog (and starve the direct calls of sockets), so the peer gets a closed-loop throughput run instead.
  if (runs("rate")) await fixedRate(direct, kalmia);
  if (runs("stream")) await streaming([direct, ...proxies]);
  if (runs("persist")) await persisted(direct, kalmia, kalmia.server.url);
  if (litellm && runs("peer")) await peerThroughput(direct, litellm);
  memory(proxies);
  say(`\nLoad average at the end (1/5/15 min, 2 cores shared with other work): ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
} finally {
  await processes.stop();
}
