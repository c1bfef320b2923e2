/**
 * Memory footprint of the embedded server (issue 26, Build 6), beside Arize Phoenix in the same run
 * on the same OTLP spans:
 *   1. idle: RSS after BENCH_IDLE_SECONDS (30) with nothing sent;
 *   2. steady: 1,000 spans/s (one OTLP protobuf body of 20 agent traces, 100 spans, every 100 ms,
 *      open loop) to both servers at once for BENCH_STEADY_SECONDS (60); RSS sampled every second;
 *   3. soak: the same load for BENCH_SOAK_SECONDS (600) more; RSS a minute apart, growth = the last
 *      minute's median minus the first's.
 * Kalmia is `bun server/main.ts` on PGlite (a fresh data dir), taking OTLP at /api/v1/otel/v1/traces.
 * Phoenix is `phoenix serve` on SQLite (a fresh working dir) from a virtualenv of your own:
 *   python3 -m venv /tmp/phoenix-venv && /tmp/phoenix-venv/bin/pip install arize-phoenix
 *   BENCH_PHOENIX=/tmp/phoenix-venv/bin/phoenix bun bench/footprint.ts
 * Without BENCH_PHOENIX, Kalmia alone. Phoenix's RSS is its whole process tree's.
 * Every body is sent with fresh trace and span ids (patched into the protobuf bytes), so the soak
 * stores new traces throughout instead of rewriting the same ones.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agentTraceBodies, rssMb } from "./otlp-bodies.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { removeTempDirs } from "../test/harness/temp-dir.ts";
import { machine } from "./stats.ts";

const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const STEADY_S = Number(process.env.BENCH_STEADY_SECONDS ?? 60);
const SOAK_S = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const PHOENIX = process.env.BENCH_PHOENIX;
const TRACES_PER_BODY = 20;
const INTERVAL_MS = 100; // 20 traces × 5 spans every 100 ms = 1,000 spans/s
const TEMPLATES = 50;

type Target = { name: string; pid: number; url: string; rss(): number; stop(): Promise<void> };

/** RSS of a process and all its descendants, MB. */
function treeRssMb(pid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))![1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {}
  }
  const walk = (p: number) => {
    try { total += rssMb(p); } catch {}
    for (const child of children.get(p) ?? []) walk(child);
  };
  walk(pid);
  return total;
}

async function startPhoenix(bin: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "footprint-phoenix-"));
  const port = 36000 + Math.floor(Math.random() * 1000);
  const child: ChildProcess = spawn(bin, ["serve"], {
    env: { ...process.env, PHOENIX_WORKING_DIR: dir, PHOENIX_PORT: String(port), PHOENIX_GRPC_PORT: String(port + 1000), PHOENIX_TELEMETRY_ENABLED: "false" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`phoenix exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("phoenix did not answer /healthz in 5 minutes");
    await Bun.sleep(500);
  }
  return {
    name: "Phoenix (SQLite)", pid: child.pid!, url: `${url}/v1/traces`, rss: () => treeRssMb(child.pid!),
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startKalmiaTarget(): Promise<Target> {
  const server = await startKalmia();
  return {
    name: "Kalmia (PGlite)", pid: server.pid, url: `${server.url}/api/v1/otel/v1/traces`, rss: () => rssMb(server.pid),
    async stop() { await server.stop(); },
  };
}

/**
 * Bodies whose trace and span ids are rewritten on every send: each id's places are found once in
 * its template's bytes, then overwritten with a per-send counter (a trace id's first 4 bytes, a span
 * id's last 4), so that every send holds new traces.
 */
function idPatcher(templates: { body: Uint8Array; ids: Uint8Array[] }[]) {
  const places = templates.map(({ body, ids }) =>
    ids.flatMap((id) => {
      const found: number[] = [];
      const bytes = Buffer.from(body);
      for (let at = bytes.indexOf(id); at !== -1; at = bytes.indexOf(id, at + 1)) {
        found.push(id.length === 16 ? at : at + 4);
      }
      return found;
    }),
  );
  let sends = 0;
  return () => {
    const index = sends % templates.length;
    const body = templates[index]!.body.slice();
    const stamp = ++sends;
    for (const where of places[index]!) {
      body[where] = (stamp >>> 24) & 0xff;
      body[where + 1] = (stamp >>> 16) & 0xff;
      body[where + 2] = (stamp >>> 8) & 0xff;
      body[where + 3] = stamp & 0xff;
    }
    return body;
  };
}

type Load = { sent: number; ok: number; failed: number; inFlight: number; maxInFlight: number; refusals: Map<string, number> };

/** "503 × 292, error × 3": why bodies were not taken (Phoenix answers 503 when its queue is full). */
const refusalsOf = (load: Load) => [...load.refusals].map(([why, n]) => `${why} × ${n}`).join(", ") || "none";
const refuse = (load: Load, why: string) => {
  load.failed++;
  load.refusals.set(why, (load.refusals.get(why) ?? 0) + 1);
};

/** Sends `next()` to every target every INTERVAL_MS until `seconds` pass, calling `sample` each second. */
async function run(targets: Target[], next: () => Uint8Array, seconds: number, loads: Map<Target, Load>, sample: (second: number) => void) {
  const started = performance.now();
  let ticks = 0;
  let lastSecond = -1;
  while (performance.now() - started < seconds * 1000) {
    const body = next();
    for (const target of targets) {
      const load = loads.get(target)!;
      load.sent++;
      load.inFlight++;
      load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
      void fetch(target.url, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/x-protobuf" } })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.ok) load.ok++;
          else refuse(load, String(response.status));
        }, () => refuse(load, "error"))
        .finally(() => load.inFlight--);
    }
    ticks++;
    const second = Math.floor((performance.now() - started) / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      sample(second);
    }
    const wait = started + ticks * INTERVAL_MS - performance.now();
    if (wait > 0) await Bun.sleep(wait);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const mb = (value: number) => `${value.toFixed(0)} MB`;

console.log(`machine: ${machine()}; load average at start ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
const templates = agentTraceBodies(TEMPLATES * TRACES_PER_BODY, TRACES_PER_BODY);
const next = idPatcher(templates);

const targets: Target[] = [await startKalmiaTarget()];
if (PHOENIX) targets.push(await startPhoenix(PHOENIX));
try {
  await Bun.sleep(IDLE_S * 1000);
  for (const target of targets) console.log(`${target.name}: idle RSS ${mb(target.rss())} (${IDLE_S} s after it answered)`);

  const loads = new Map(targets.map((t) => [t, { sent: 0, ok: 0, failed: 0, inFlight: 0, maxInFlight: 0, refusals: new Map() } satisfies Load]));
  const steady = new Map(targets.map((t) => [t, [] as number[]]));
  await run(targets, next, STEADY_S, loads, () => {
    for (const target of targets) steady.get(target)!.push(target.rss());
  });
  for (const target of targets) {
    const samples = steady.get(target)!;
    const load = loads.get(target)!;
    console.log(`${target.name}: at 1,000 spans/s for ${STEADY_S} s: RSS median of the last half ${mb(median(samples.slice(samples.length / 2)))}, max ${mb(Math.max(...samples))}; ${load.ok}/${load.sent} bodies answered 2xx, ${load.failed} not (${refusalsOf(load)}), at most ${load.maxInFlight} in flight`);
  }

  if (SOAK_S > 0) {
    const minutes = new Map(targets.map((t) => [t, [] as number[][]]));
    await run(targets, next, SOAK_S, loads, (second) => {
      for (const target of targets) {
        const perMinute = minutes.get(target)!;
        const minute = Math.floor(second / 60);
        (perMinute[minute] ??= []).push(target.rss());
      }
    });
    for (const target of targets) {
      const medians = minutes.get(target)!.map(median);
      const load = loads.get(target)!;
      console.log(`${target.name}: soak ${SOAK_S} s more at 1,000 spans/s: RSS median per minute ${medians.map((m) => m.toFixed(0)).join(", ")} MB; growth first → last minute ${(medians.at(-1)! - medians[0]!).toFixed(0)} MB; ${load.ok}/${load.sent} bodies answered 2xx in all, ${load.failed} not (${refusalsOf(load)}), at most ${load.maxInFlight} in flight`);
    }
  }
  // What is left in flight when the load stops says whether a server kept up.
  await Bun.sleep(2_000);
  for (const target of targets) console.log(`${target.name}: ${loads.get(target)!.inFlight} bodies still unanswered 2 s after the last send`);
} finally {
  for (const target of targets) await target.stop();
  removeTempDirs();
}
console.log(`load average at the end ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
