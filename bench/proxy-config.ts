/** bench/proxy.ts's knobs, read once from the environment; a bad value's error names its variable. */
function count(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  return value;
}

export const PHASE_NAMES = ["c1", "rate", "stream", "persist", "persist-rate", "peer"] as const;

function phases(): readonly string[] | null {
  const listed = process.env.BENCH_PHASES?.split(",").map((p) => p.trim()).filter(Boolean);
  if (!listed) return null;
  const unknown = listed.filter((p) => !(PHASE_NAMES as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`BENCH_PHASES: unknown phase ${unknown.join(", ")} (phases: ${PHASE_NAMES.join(",")})`);
  return listed;
}

export const config = Object.freeze({
  phases: phases(),
  rounds: count("BENCH_ROUNDS", 2000),
  rate: count("BENCH_RATE", 500),
  rateSeconds: count("BENCH_RATE_SECONDS", 10),
  /** 100 so the p99 is not just the maximum; 103 rounds of ≈1.3 s keep the phase near 2¼ minutes. */
  streams: count("BENCH_STREAMS", 100),
  streamWarmup: count("BENCH_STREAM_WARMUP", 3),
  workers: count("BENCH_WORKERS", 128),
  seconds: count("BENCH_SECONDS", 10),
  persistRate: count("BENCH_PERSIST_RATE", 3000),
  probeRate: count("BENCH_PROBE_RATE", 200),
  /** Unmeasured load before the phases, so they meet a server past its JIT compilation, as a running service is. */
  warmupSeconds: count("BENCH_WARMUP_SECONDS", 10),
  /** When the upstream sends its first chunk: 0 = at once (worst case for the proxy's start-of-call write). */
  firstTokenMs: count("BENCH_FIRST_TOKEN_MS", 0),
  litellm: process.env.BENCH_LITELLM !== "0",
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
});

export const runs = (phase: (typeof PHASE_NAMES)[number]) => config.phases === null || config.phases.includes(phase);
