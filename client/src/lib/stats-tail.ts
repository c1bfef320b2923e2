import type { Stats, StatsFigures, StatsPoint, StatsSeries } from "../api/stats.ts";

const COUNTS = ["traces", "errors", "prompt_tokens", "completion_tokens", "cost_usd"] as const;

const emptyPoint = (t: string): StatsPoint => ({
  t, traces: 0, errors: 0, p50_ms: null, p95_ms: null, p99_ms: null, ttft_p50_ms: null, ttft_p95_ms: null,
  prompt_tokens: 0, completion_tokens: 0, cost_usd: 0,
});

/** Counts and sums of `points`, over `base` (whose percentiles stay: points cannot give them). */
function summed(base: StatsFigures, points: StatsPoint[]): StatsFigures {
  const totals = { ...base };
  for (const field of COUNTS) totals[field] = points.reduce((sum, p) => sum + p[field], 0);
  return totals;
}

/**
 * The overview with its newest buckets replaced by a fresh answer for them (`tail`, asked from the
 * start of the last bucket shown): what the live feed changes, without asking for the whole window
 * again. The window slides: as many buckets as before are kept, the oldest dropped. Counts and sums
 * of the totals follow; their percentiles stay those of the last full answer.
 */
export function mergeTail(current: Stats, tail: Stats): Stats {
  const times = [...new Set([...(current.series[0]?.points ?? []).map((p) => p.t), ...(tail.series[0]?.points ?? []).map((p) => p.t)])].sort();
  const keep = times.slice(-Math.max(1, current.series[0]?.points.length ?? times.length));
  const keys = [...new Set([...current.series.map((s) => s.key), ...tail.series.map((s) => s.key)])];
  const series: StatsSeries[] = keys.map((key) => {
    const old = current.series.find((s) => s.key === key);
    const fresh = tail.series.find((s) => s.key === key);
    const byTime = new Map((old?.points ?? []).map((p) => [p.t, p]));
    for (const p of fresh?.points ?? []) byTime.set(p.t, p);
    // A key the tail no longer has lost its newest buckets' traces.
    if (!fresh) for (const t of tail.series[0]?.points.map((p) => p.t) ?? []) byTime.set(t, emptyPoint(t));
    const points = keep.map((t) => byTime.get(t) ?? emptyPoint(t));
    return { key, totals: summed(old?.totals ?? fresh!.totals, points), points };
  });
  const all = series.flatMap((s) => s.points);
  return {
    ...current,
    until: tail.until,
    since: keep[0] ?? current.since,
    running: tail.running,
    stale: tail.stale,
    series,
    totals: summed(current.totals, all),
  };
}
