/**
 * Proxy benchmark (issue 3), against the fake upstream, each proxy beside a direct call in the same run,
 * and beside a bare Bun proxy (bench/bare-proxy.ts, "bare bun proxy"): the floor, what Bun's HTTP server
 * and fetch alone add on this machine, so what Kalmia adds can be read above it.
 *   1. c1: added latency p50/p99 at concurrency 1 (direct and one proxy alternating, call after call;
 *      one such pair for Kalmia, one for the bare proxy, one for LiteLLM);
 *   2. rate: added latency p50/p99 at a fixed arrival rate (default 500 req/s to each of direct and Kalmia);
 *   3. stream: added time to first token and chunk gaps (64 chunks, 20 ms apart; all targets at once,
 *      after BENCH_STREAM_WARMUP unmeasured rounds);
 *   4. persist-rate: the target measure, persisted calls at a fixed offered rate (open loop, default
 *      3,000 calls/s, 20 ms upstream) with direct probes at 200/s: achieved rate, added latency vs the
 *      probes, time until all were stored, and whether the load generator kept up;
 *   5. persist: capacity, proxied calls/s with every call persisted (128 closed-loop workers, 20 ms upstream);
 *   6. peer: LiteLLM's closed-loop throughput;
 *   7. server memory (RSS, peak RSS); CPU ms per 1,000 proxied calls for Kalmia and Postgres in 4 and 5.
 *   ./node_modules/.bin/bun bench/proxy.ts        (PGlite; BENCH_LITELLM=0 skips the LiteLLM peer)
 *   BENCH_DATABASE_URL=postgres://… ./node_modules/.bin/bun bench/proxy.ts   (Kalmia on Postgres)
 *   BENCH_PHASES=c1,rate,stream,persist-rate,persist,peer picks phases; BENCH_ROUNDS, BENCH_RATE,
 *   BENCH_RATE_SECONDS, BENCH_STREAMS (100), BENCH_STREAM_WARMUP (3), BENCH_WORKERS, BENCH_SECONDS,
 *   BENCH_PERSIST_RATE (3000), BENCH_PROBE_RATE (200) size them; BENCH_WARMUP_SECONDS (10) of unmeasured
 *   load come first (0: measure a server just started); BENCH_FIRST_TOKEN_MS delays the first chunk.
 */
import { loadavg } from "node:os";
import { plainCall, streamCall } from "./proxy-calls.ts";
import { config, runs } from "./proxy-config.ts";
import { fmt, latencyTable, printTargets, say, target, type Added } from "./proxy-report.ts";
import { memoryOf, startProcesses, type Target } from "./proxy-targets.ts";
import { persistRate, persisted, peerThroughput, warmUp } from "./proxy-throughput.ts";
import { machine } from "./stats.ts";

async function concurrencyOne(targets: Target[]): Promise<Map<string, Added>> {
  const samples = new Map(targets.map((t) => [t.name, [] as number[]]));
  for (let i = 0; i < 100; i++) for (const t of targets) await plainCall(t); // warm-up
  for (let i = 0; i < config.rounds; i++) {
    // Rotate the order so no target always runs right after another.
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(i + k) % targets.length]!;
      samples.get(t.name)!.push(await plainCall(t));
    }
  }
  return latencyTable(`Concurrency 1, plain chat completion, ${config.rounds} calls each: ${targets.map((t) => t.name).join(" ↔ ")}`, samples);
}

async function fixedRate(direct: Target, proxy: Target) {
  const samples = new Map([direct, proxy].map((t) => [t.name, [] as number[]]));
  let failures = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / config.rate;
  const start = performance.now();
  for (let i = 0; i < config.rate * config.rateSeconds; i++) {
    const wait = start + i * interval - performance.now();
    if (wait >= 1) await Bun.sleep(wait);
    for (const t of [direct, proxy]) pending.push(plainCall(t).then((ms) => void samples.get(t.name)!.push(ms), () => void failures++));
  }
  await Promise.all(pending);
  const achieved = (config.rate * config.rateSeconds) / ((performance.now() - start) / 1000);
  latencyTable(`${config.rate} req/s to each of direct and ${proxy.name} for ${config.rateSeconds} s (achieved ≈ ${achieved.toFixed(0)} req/s each, ${failures} failures)`, samples);
}

async function streaming(targets: Target[]): Promise<Map<string, Added>> {
  const ttft = new Map(targets.map((t) => [t.name, [] as number[]]));
  const gaps = new Map(targets.map((t) => [t.name, [] as number[]]));
  const totals = new Map(targets.map((t) => [t.name, [] as number[]]));
  const round = () => Promise.all(targets.map((t) => streamCall(t, 64, 20, config.firstTokenMs)));
  // Unmeasured: the first streams through each process pay for connection setup and JIT warm-up.
  for (let i = 0; i < config.streamWarmup; i++) await round();
  for (let i = 0; i < config.streams; i++) {
    (await round()).forEach((timing, k) => {
      const name = targets[k]!.name;
      ttft.get(name)!.push(timing.ttft);
      gaps.get(name)!.push(...timing.gaps);
      totals.get(name)!.push(timing.total);
    });
  }
  const added = latencyTable(`Streaming, 64 chunks 20 ms apart, first after ${config.firstTokenMs} ms, ${config.streams} streams each (after ${config.streamWarmup} warm-up): time to first token`, ttft);
  latencyTable("Streaming: gap between consecutive content chunks (upstream sends every 20 ms)", gaps);
  latencyTable("Streaming: whole stream", totals);
  return added;
}

/** One line setting Kalmia's added latency beside the floor's, from the same phase. */
function aboveFloor(what: string, kalmia: Added | undefined, floor: Added | undefined) {
  if (!kalmia || !floor) return;
  say(`- ${what}: the bare Bun proxy adds ${fmt(floor.p50)} / ${fmt(floor.p99)} ms (p50 / p99), Kalmia ${fmt(kalmia.p50)} / ${fmt(kalmia.p99)}: Kalmia's own share ≈ ${fmt(kalmia.p50 - floor.p50)} / ${fmt(kalmia.p99 - floor.p99)} ms`);
}

function memory(targets: Target[]) {
  say("\n#### Memory after the run");
  for (const t of targets) {
    const m = memoryOf(t.pid);
    say(`- ${t.name}: RSS ${m ? m.rss.toFixed(0) : "n/a"} MiB, peak RSS ${m ? m.peak.toFixed(0) : "n/a"} MiB`);
  }
  const kalmia = targets.find((t) => t.name === "kalmia");
  const m = kalmia ? memoryOf(kalmia.pid) : null;
  if (m) target("RSS ≤ 150 MB", m.rss * 2 ** 20 <= 150e6, `${m.rss.toFixed(0)} MiB after the run, peak ${m.peak.toFixed(0)} MiB`);
}

const processes = await startProcesses({ litellm: config.litellm, databaseUrl: config.databaseUrl });
try {
  const { upstream: direct, kalmia, bare, litellm, databaseName } = processes;
  const proxies: Target[] = litellm ? [kalmia, bare, litellm] : [kalmia, bare];
  say(`### Proxy benchmark — ${new Date().toISOString()}`);
  say(`Storage: ${config.databaseUrl ? "Postgres (local, fsync off)" : "PGlite (embedded)"}. Machine: ${machine()}. Command: \`./node_modules/.bin/bun bench/proxy.ts\` (rounds ${config.rounds}, rate ${config.rate}/s × ${config.rateSeconds} s, ${config.streams} streams, persist rate ${config.persistRate}/s + ${config.probeRate} probes/s × ${config.seconds} s, ${config.workers} workers × ${config.seconds} s).`);
  say(`Load average at the start (1/5/15 min): ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
  say(litellm ? "LiteLLM proxy: running (`.venv-bench`, 1 uvicorn worker, no database)." : "LiteLLM proxy: not running (see BENCHMARKS.md).");
  await warmUp(direct, kalmia, bare);
  if (runs("c1")) {
    // Pairs, not one rotation: a slow peer between two Kalmia calls would hide Kalmia's own background
    // work, and in a rotation with the floor, Kalmia's write after answering would land on the bare
    // proxy's call and be charged to the floor. Each pair has its own direct baseline from the same minutes.
    const added = new Map<string, Added>();
    for (const proxy of proxies) for (const [name, a] of await concurrencyOne([direct, proxy])) added.set(name, a);
    aboveFloor("Concurrency 1 above the floor", added.get(kalmia.name), added.get(bare.name));
    const k = added.get(kalmia.name);
    if (k) target("added p99 ≤ 0.4 ms at concurrency 1", k.p99 <= 0.4, `${fmt(k.p99)} ms; the bare Bun proxy ${fmt(added.get(bare.name)?.p99 ?? NaN)} ms`);
  }
  // LiteLLM with one worker answers a few dozen calls/s: an open-loop 500 req/s run would only measure its
  // backlog (and starve the direct calls of sockets), so the peer gets a closed-loop throughput run instead.
  if (runs("rate")) await fixedRate(direct, kalmia);
  if (runs("stream")) {
    const added = await streaming([direct, ...proxies]);
    aboveFloor("Time to first token above the floor", added.get(kalmia.name), added.get(bare.name));
    const k = added.get(kalmia.name);
    if (k) target("added time-to-first-token p99 ≤ 1 ms", k.p99 <= 1, `${fmt(k.p99)} ms; the bare Bun proxy ${fmt(added.get(bare.name)?.p99 ?? NaN)} ms`);
  }
  // The target measure before the capacity run, so it inherits neither that run's heap nor its rows.
  if (runs("persist-rate")) await persistRate(direct, kalmia, bare, databaseName);
  if (runs("persist")) await persisted(direct, kalmia, databaseName);
  if (litellm && runs("peer")) await peerThroughput(direct, litellm);
  memory(proxies);
  printTargets();
  say(`\nLoad average at the end (1/5/15 min, 2 cores shared with other work): ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
} finally {
  await processes.stop();
}
