import { getJson } from "./http.ts";

export type StatsFigures = {
  traces: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  ttft_p50_ms: number | null;
  ttft_p95_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
};
/** `extra`: the mean of each score name given in the bucket (ungrouped only). */
export type StatsPoint = { t: string; extra?: Record<string, number | null> } & StatsFigures;
export type StatsSeries = { key: string | null; totals: StatsFigures; points: StatsPoint[] };
export type Stats = {
  bucket: string;
  since: string;
  until: string;
  source: "exact" | "rollups";
  series: StatsSeries[];
  totals: StatsFigures;
  running: number;
  stale: number;
};
export type StatsGroup = "model" | "provider";

export type StatsRequest = { project?: string; since: Date; until: Date; bucket?: string; group_by?: StatsGroup };

/** GET /api/v1/stats: a project's overview over time. */
export function fetchStats(request: StatsRequest, signal?: AbortSignal): Promise<Stats> {
  return getJson<Stats>(
    "/api/v1/stats",
    { project: request.project, since: request.since.toISOString(), until: request.until.toISOString(), bucket: request.bucket, group_by: request.group_by },
    signal,
  );
}
