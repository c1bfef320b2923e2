/**
 * bench/proxy.ts's load phases, all with the 20 ms upstream: persisted calls at a fixed offered rate
 * (open loop, the target measure, then the same load through the bare Bun proxy as its floor), capacity
 * with every call persisted (closed loop), and the peer's throughput. Kalmia's and Postgres's CPU time per call is read from /proc around each Kalmia run.
 */
import { openLoop, type ScheduleResult } from "./open-loop.ts";
import { plainCall, streamCall } from "./proxy-calls.ts";
import { config } from "./proxy-config.ts";
import { fmt, latencyTable, say, target } from "./proxy-report.ts";
import type { Target } from "./proxy-targets.ts";
import { cpuMeter, type CpuUse } from "./proc-cpu.ts";

type Kalmia = Target & { server: { url: string; pid: number } };

const whole = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");

/** Closed loop: `workers` callers each calling again as soon as answered, for `seconds`. */
async function closedLoop(targets: { target: Target; workers: number; headers?: Record<string, string> }[]) {
  const samples = new Map(targets.map(({ target }) => [target.name, [] as number[]]));
  const start = performance.now();
  const deadline = start + config.seconds * 1000;
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

/**
 * The target measure: PERSIST_RATE calls/s offered to Kalmia whatever its answers do, with direct
 * probes at PROBE_RATE beside them as the baseline. Unlike the closed loop, a slow answer does not slow
 * the arrivals, so queueing inside Kalmia shows in its latency instead of lowering the offered load.
 */
export async function persistRate(direct: Target, kalmia: Kalmia, bare: Target, database: string | null) {
  const project = "bench-persist-rate";
  const meter = cpuMeter(kalmia.server.pid, database);
  const run = await openLoop(
    [
      { rate: config.persistRate, call: () => plainCall(kalmia, { "x-kalmia-project": project }, true) },
      { rate: config.probeRate, call: () => plainCall(direct, {}, true) },
    ],
    config.seconds,
  );
  const [proxied, probes] = run.results as [ScheduleResult, ScheduleResult];
  const answeredAfter = (performance.now() - run.start) / 1000;
  const storedAfter = await waitPersisted(kalmia.server.url, project, proxied.samples.length, run.start);
  const cpu = meter.stop();
  const sentRate = proxied.sent / run.sendSeconds;
  // Kept up = started the calls at the offered rate. Late ticks (the generator's loop starved of CPU on
  // shared cores) only make the arrivals burstier; each call's time is taken from when it really started.
  const keptUp = sentRate >= 0.99 * config.persistRate;
  const bursty = run.lateness.p99 > 5 ? "; its ticks ran late, so calls went out in bursts" : "";
  const persistedRate = storedAfter === null ? NaN : proxied.samples.length / storedAfter;
  say(`\n#### Persisted calls at a fixed rate (open loop): ${config.persistRate} calls/s to Kalmia + ${config.probeRate} direct probes/s, 20 ms upstream, ${config.seconds} s`);
  say(`- sent ${proxied.sent} calls to Kalmia in ${run.sendSeconds.toFixed(2)} s = ${sentRate.toFixed(0)} calls/s (offered ${config.persistRate}); ${proxied.failures} failures; ${probes.sent} probes, ${probes.failures} failures`);
  say(`- sender: each tick's oldest call started p99 ${fmt(run.lateness.p99)} ms, max ${fmt(run.lateness.max)} ms after its scheduled time; at most ${run.peakInFlight} calls in flight${run.peakInFlight >= 256 ? " (Bun's fetch queues beyond 256: latencies include that queue)" : ""} → ${keptUp ? "kept up with the offered rate" : "**FELL BEHIND the offered rate** (the load generator, not Kalmia, set the pace)"}${bursty}`);
  say(`- all answered ${(answeredAfter - run.sendSeconds).toFixed(2)} s after the last was sent; all ${proxied.samples.length} traces stored and ended ${storedAfter === null ? "(NOT within 5 minutes)" : `${(storedAfter - run.sendSeconds).toFixed(2)} s after the last was sent`} → **${whole(persistedRate)} persisted calls/s** (calls ÷ time from the first sent until the last was stored)`);
  cpuLine(cpu, proxied.samples.length, storedAfter ?? answeredAfter);
  const added = latencyTable("Latency at the fixed rate, vs the direct probes (includes the 20 ms upstream)", new Map([["direct", probes.samples], [kalmia.name, proxied.samples]]));
  const addedP99 = added.get(kalmia.name)?.p99 ?? NaN;
  const floorP99 = await rateFloor(direct, bare);
  // At exactly the offered rate the formula above lands a little under it (the last calls still need
  // their 20 ms and a 100 ms poll). A writer slower than the offered rate ends SECONDS × (offered ÷ its
  // rate − 1) behind, so "kept pace" is: offered load applied, nothing failed, all stored within 0.5 s
  // of the last send (after 10 s: the writer stored at ≥ 95 % of the offered rate).
  const keptPace = keptUp && proxied.failures === 0 && storedAfter !== null && storedAfter - run.sendSeconds <= 0.5;
  target(
    `≥ 3,000 persisted calls/s with added p99 ≤ 5 ms (open loop at ${config.persistRate}/s)`,
    config.persistRate >= 3000 && keptPace && addedP99 <= 5,
    `${whole(persistedRate)} persisted calls/s, stored ${storedAfter === null ? "n/a" : (storedAfter - run.sendSeconds).toFixed(2)} s after the last send, added p99 ${fmt(addedP99)} ms${keptUp ? "" : ", sender fell behind"}; the bare Bun proxy at the same rate adds p99 ${fmt(floorP99)} ms`,
  );
}

/**
 * Unmeasured: BENCH_WARMUP_SECONDS of the persist-rate load, plain calls and 20 streamed calls/s,
 * through Kalmia and then the bare proxy, so the measured phases meet servers past their JIT
 * compilation, as a service that has been running is. Kalmia's first 10 s after start cost it
 * ~20 ms more CPU per 1,000 calls (its JIT thread's work) and a longer tail; they are printed.
 */
export async function warmUp(direct: Target, kalmia: Kalmia, bare: Target) {
  if (config.warmupSeconds === 0) return;
  const project = "bench-warmup";
  for (const [target, headers] of [[kalmia, { "x-kalmia-project": project }], [bare, {}]] as const) {
    const run = await openLoop(
      [
        { rate: config.persistRate, call: () => plainCall(target, headers, true) },
        { rate: 20, call: () => streamCall({ ...target, headers: { ...target.headers, ...headers } }, 64, 5, 0).then((timing) => timing.total) },
        { rate: config.probeRate, call: () => plainCall(direct, {}, true) },
      ],
      config.warmupSeconds,
    );
    const [plain, streamed, probes] = run.results as [ScheduleResult, ScheduleResult, ScheduleResult];
    let storedNote = "";
    if (target === kalmia) {
      const stored = await waitPersisted(kalmia.server.url, project, plain.samples.length + streamed.samples.length, run.start);
      storedNote = stored === null ? "; NOT all stored within 5 minutes" : `; all stored ${(stored - run.sendSeconds).toFixed(2)} s after the last send`;
    }
    say(`\n#### Warm-up, unmeasured by the targets: ${target.name}'s first ${config.warmupSeconds} s of load, ${config.persistRate} plain + 20 streamed calls/s, ${config.probeRate} direct probes/s (${plain.failures + streamed.failures} failures${storedNote})`);
    latencyTable(`Latency while ${target.name} warms up (includes the 20 ms upstream)`, new Map([["direct", probes.samples], [target.name, plain.samples]]));
  }
}

/** The same offered load through the bare Bun proxy (which stores nothing): the floor for the added p99. */
async function rateFloor(direct: Target, bare: Target): Promise<number> {
  const meter = bare.pid === null ? null : cpuMeter(bare.pid, null);
  const run = await openLoop(
    [
      { rate: config.persistRate, call: () => plainCall(bare, {}, true) },
      { rate: config.probeRate, call: () => plainCall(direct, {}, true) },
    ],
    config.seconds,
  );
  const [proxied, probes] = run.results as [ScheduleResult, ScheduleResult];
  const cpu = meter?.stop();
  say(`\n#### The floor at the same rate: ${config.persistRate} calls/s through the bare Bun proxy + ${config.probeRate} direct probes/s, ${config.seconds} s (sender p99 ${fmt(run.lateness.p99)} ms late; ${proxied.failures} failures)`);
  if (cpu) say(`- CPU per 1,000 calls through the bare Bun proxy: **${((cpu.kalmiaMs * 1000) / Math.max(1, proxied.samples.length)).toFixed(0)} ms** (it parses and stores nothing)`);
  const added = latencyTable("Latency at the fixed rate through the bare Bun proxy, vs the direct probes", new Map([["direct", probes.samples], [bare.name, proxied.samples]]));
  return added.get(bare.name)?.p99 ?? NaN;
}

/** Capacity: WORKERS closed-loop callers through Kalmia, every call persisted, direct probes alongside. */
export async function persisted(direct: Target, kalmia: Kalmia, database: string | null) {
  const project = "bench-persist";
  const probes = Math.max(1, config.workers >> 3);
  const meter = cpuMeter(kalmia.server.pid, database);
  const run = await closedLoop([{ target: kalmia, workers: config.workers, headers: { "x-kalmia-project": project } }, { target: direct, workers: probes }]);
  const proxied = run.samples.get(kalmia.name)!.length;
  const persistedAfter = await waitPersisted(kalmia.server.url, project, proxied, run.start);
  const cpu = meter.stop();
  say(`\n#### Persisted throughput (capacity, closed loop): ${config.workers} proxy workers + ${probes} direct probes, 20 ms upstream, ${config.seconds} s`);
  say(`- proxied calls: ${proxied} in ${run.seconds.toFixed(2)} s = **${(proxied / run.seconds).toFixed(0)} calls/s** answered (${run.failures} failures)`);
  say(`- all ${proxied} traces stored and ended ${persistedAfter === null ? "(NOT within 5 minutes)" : `${(persistedAfter - run.seconds).toFixed(2)} s after the load stopped`} → **${persistedAfter === null ? "n/a" : (proxied / persistedAfter).toFixed(0)} persisted calls/s** (calls ÷ time until the last was stored)`);
  cpuLine(cpu, proxied, persistedAfter ?? run.seconds);
  latencyTable("Latency during the persisted-throughput run (includes the 20 ms upstream)", run.samples);
}

export async function peerThroughput(direct: Target, peer: Target) {
  const probes = Math.max(1, config.workers >> 3);
  const run = await closedLoop([{ target: peer, workers: config.workers }, { target: direct, workers: probes }]);
  const calls = run.samples.get(peer.name)!.length;
  say(`\n#### ${peer.name} throughput (nothing persisted): ${config.workers} workers + ${probes} direct probes, 20 ms upstream, ${config.seconds} s`);
  say(`- ${calls} calls in ${run.seconds.toFixed(2)} s = **${(calls / run.seconds).toFixed(0)} calls/s** answered (${run.failures} failures)`);
  latencyTable(`Latency during the ${peer.name} throughput run (includes the 20 ms upstream)`, run.samples);
}

/** CPU per 1,000 proxied calls, and how many cores that kept busy over the run until all were stored. */
function cpuLine(cpu: CpuUse, calls: number, seconds: number) {
  const per1000 = (ms: number) => ((ms * 1000) / Math.max(1, calls)).toFixed(0);
  const cores = (ms: number) => (ms / 1000 / seconds).toFixed(2);
  const postgres = cpu.postgresMs === null ? "Postgres n/a (PGlite runs inside Kalmia's process: its work is in Kalmia's figure)" : `Postgres **${per1000(cpu.postgresMs)} ms** (${cores(cpu.postgresMs)} cores; this run's backends + the cluster's background processes)`;
  say(`- CPU per 1,000 proxied calls, from the start of the load until all were stored: Kalmia **${per1000(cpu.kalmiaMs)} ms** (${cores(cpu.kalmiaMs)} cores busy on average), ${postgres}`);
}

/** Seconds from the run's start until every proxied call's trace is stored and ended, or null after 5 minutes. */
async function waitPersisted(kalmiaUrl: string, project: string, expected: number, runStart: number): Promise<number | null> {
  const deadline = performance.now() + 300_000;
  let count = 0;
  while (performance.now() < deadline) {
    // Every 100 ms, so the figure is not rounded up to the next second. On PGlite each poll is a read on
    // the server's one database thread beside the writer: a small, steady cost, the same in every run.
    const experiments: any = await (await fetch(`${kalmiaUrl}/api/experiments`)).json();
    count = experiments.experiments.find((e: any) => e.project === project)?.trace_count ?? 0;
    if (count >= expected) {
      const running: any = await (await fetch(`${kalmiaUrl}/api/v1/traces?project=${project}&status=running&limit=1`)).json();
      if (running.traces.length === 0) return (performance.now() - runStart) / 1000;
    }
    await Bun.sleep(100);
  }
  const health: any = await (await fetch(`${kalmiaUrl}/api/health`)).json();
  say(`- after 5 minutes: ${count} of ${expected} traces stored; writer ${JSON.stringify(health.writer)}`);
  return null;
}
