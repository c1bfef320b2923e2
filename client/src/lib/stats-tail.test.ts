import { expect, test } from "bun:test";
import type { Stats, StatsPoint } from "../api/stats.ts";
import { mergeTail } from "./stats-tail.ts";

const point = (minute: number, traces: number): StatsPoint => ({
  t: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(), traces, errors: 0, p50_ms: 10, p95_ms: 20, p99_ms: 30,
  ttft_p50_ms: null, ttft_p95_ms: null, prompt_tokens: traces * 10, completion_tokens: 0, cost_usd: 0,
});
const stats = (series: [string, StatsPoint[]][]): Stats => ({
  bucket: "1m", since: series[0]![1][0]!.t, until: "", source: "exact", running: 0, stale: 0,
  series: series.map(([key, points]) => ({ key, points, totals: { ...points[0]!, traces: 0 } })),
  totals: { ...point(0, 0) },
});

test("the live tail replaces the newest bucket, adds the next one and slides the window, keeping its length", () => {
  const current = stats([["gpt-4o", [point(0, 1), point(1, 2), point(2, 3)]]]);
  const tail = stats([["gpt-4o", [point(2, 5), point(3, 1)]], ["claude", [point(2, 0), point(3, 4)]]]);
  const merged = mergeTail(current, tail);
  expect(merged.series.map((s) => [s.key, s.points.map((p) => p.traces)])).toEqual([["gpt-4o", [2, 5, 1]], ["claude", [0, 0, 4]]]);
  expect(merged.totals.traces).toBe(12);
  expect(merged.series[0]!.totals.prompt_tokens).toBe(80);
  expect(merged.since).toBe(point(1, 0).t);
});
