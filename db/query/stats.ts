import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../connect/open.ts";

/** Bucket sizes in seconds: the API's (1m, 5m, 1h, 1d) and the steps between that `auto` picks from. */
export const BUCKETS = { "1m": 60, "5m": 300, "15m": 900, "1h": 3_600, "3h": 10_800, "6h": 21_600, "12h": 43_200, "1d": 86_400 } as const;
export type BucketName = keyof typeof BUCKETS;
export const GROUPS = ["model", "provider", "user"] as const;
export type GroupBy = (typeof GROUPS)[number];
export type StatsSource = "exact" | "rollups";

// `auto`: the smallest bucket that draws the window in at most this many points (60–200 for the usual windows).
const AUTO_MAX_POINTS = 200;
/** A chosen bucket may draw at most this many points. */
export const MAX_POINTS = 2_000;
// Windows up to this long are always computed from the traces themselves (exact percentiles).
const EXACT_UP_TO_MS = 2 * 3_600_000;
// A rollup row costs the overview's query about 2.5 times what a trace does (its merge of histograms; measured
// in bench/overview.ts): the rollups are read when the planner expects them to be that much fewer.
const ROLLUP_ROW_COST = 2.5;
// A running trace with no update for this long is "stale" (its process likely died before ending it).
const STALE_AFTER = "10 minutes";

export function autoBucket(windowMs: number): BucketName {
  const names = Object.keys(BUCKETS) as BucketName[];
  return names.find((name) => windowMs / (BUCKETS[name] * 1000) <= AUTO_MAX_POINTS) ?? "1d";
}

export type StatsQuery = {
  projectId?: string;
  since: Date;
  until: Date;
  bucket: BucketName;
  groupBy?: GroupBy;
  /** Where the figures come from; by default exact for short windows and rollups for long ones. */
  source?: StatsSource;
};

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
/**
 * A bucket's figures. `extra`: more per-bucket figures from another query (issue 23's score means):
 * see StatsExtras.
 */
export type StatsPoint = { t: string } & StatsFigures & { extra?: Record<string, number | null> };
/** `key`: the model family, provider or user (null for traces without one); "all" when not grouped. */
export type StatsSeries = { key: string | null; totals: StatsFigures; points: StatsPoint[] };
export type Stats = {
  bucket: BucketName;
  since: string;
  until: string;
  source: StatsSource;
  series: StatsSeries[];
  totals: StatsFigures;
  /** Traces of the project still running now, and those of them with no update for 10 minutes. */
  running: number;
  stale: number;
};

/**
 * The seam for more per-bucket figures (e.g. score means, issue 23): given the query and the buckets'
 * bounds, figures by series key and bucket start (ISO), put into each point's `extra`.
 */
export type StatsExtras = (
  database: Database,
  query: StatsQuery & { from: Date; to: Date; bucketSeconds: number },
) => Promise<Map<string | null, Map<string, Record<string, number | null>>>>;

/**
 * The user a trace belongs to, for group_by=user: its user_id column, which the writer takes from the
 * trace, its root span or the first span that names one (db/write/trace-summary.ts).
 */
export const userIdOf = (): SQL => sql`user_id`;

/**
 * The overview of a window: per bucket (and per model family, provider or user), the traces that started
 * in it, those whose root failed, trace-duration and TTFT percentiles, tokens and cost; totals per series
 * and over all. The window widens to whole buckets; every bucket is present, an empty one with zero
 * counts and null percentiles. Read from the traces for short windows and group_by=user (rollups have no
 * users), else from the traces or the per-minute rollups the writer keeps (db/write/rollups.ts), whichever
 * is expected to be cheaper (cheaperSource).
 */
export async function stats(database: Database, query: StatsQuery, extras?: StatsExtras): Promise<Stats> {
  const seconds = BUCKETS[query.bucket];
  const step = seconds * 1000;
  const from = new Date(Math.floor(query.since.getTime() / step) * step);
  const to = new Date((Math.floor(query.until.getTime() / step) + 1) * step);
  const source = query.groupBy === "user" ? "exact" : query.source ?? (await cheaperSource(database, query, from, to));
  const grouped = query.groupBy !== undefined;
  const read = source === "exact" ? exactFigures : rollupFigures;
  const [rows, [live]] = await Promise.all([
    database.rows<FigureRow>(read(query, from, to, seconds)),
    database.rows<{ running: number; stale: number }>(runningNow(query.projectId)),
  ]);
  const extra = extras ? await extras(database, { ...query, from, to, bucketSeconds: seconds }) : undefined;

  const keyOf = (row: FigureRow) => (grouped ? (row.k === "" ? null : row.k) : "all");
  const byKey = new Map<string | null, { totals: StatsFigures; points: Map<number, StatsFigures> }>();
  let totals = emptyFigures();
  for (const row of rows) {
    const level = Number(row.g);
    if (level === 3) totals = figuresOf(row);
    else {
      const key = keyOf(row);
      const entry = byKey.get(key) ?? { totals: emptyFigures(), points: new Map() };
      byKey.set(key, entry);
      if (level === 2) entry.totals = figuresOf(row);
      else entry.points.set(Number(row.b) * 1000, figuresOf(row));
    }
  }
  // Ungrouped, the one series is there even when no trace is; a series whose traces all moved away is not.
  if (!grouped && !byKey.has("all")) byKey.set("all", { totals: emptyFigures(), points: new Map() });
  const series = [...byKey.entries()]
    .filter(([key, entry]) => !grouped || entry.totals.traces > 0 || key === "all")
    .sort(([, a], [, b]) => b.totals.traces - a.totals.traces)
    .map(([key, entry]) => {
      const points: StatsPoint[] = [];
      for (let t = from.getTime(); t < to.getTime(); t += step) {
        const iso = new Date(t).toISOString();
        const more = extra?.get(key)?.get(iso);
        points.push({ t: iso, ...(entry.points.get(t) ?? emptyFigures()), ...(more ? { extra: more } : {}) });
      }
      return { key, totals: entry.totals, points };
    });
  return {
    bucket: query.bucket, since: from.toISOString(), until: to.toISOString(), source, series, totals,
    running: Number(live?.running ?? 0), stale: Number(live?.stale ?? 0),
  };
}

/**
 * Exact (from the traces) or rollups, whichever the planner expects to read fewer rows for, weighed: a
 * rollup row holds every trace of its minute, model, provider and latency bin, so it saves rows only where
 * many traces share them (busy projects); at a few traces a minute there are more rollup rows than traces.
 */
async function cheaperSource(database: Database, query: StatsQuery, from: Date, to: Date): Promise<StatsSource> {
  if (to.getTime() - from.getTime() <= EXACT_UP_TO_MS) return "exact";
  const window = sql`${from.toISOString()}::timestamptz and ${to.toISOString()}::timestamptz`;
  const [traces, rollups] = await Promise.all([
    plannedRows(database, sql`select 1 from traces where ${projectIs(query.projectId)} start_time between ${window}`),
    plannedRows(database, sql`select 1 from trace_rollups where ${projectIs(query.projectId)} minute between ${window}`),
  ]);
  return rollups * ROLLUP_ROW_COST < traces ? "rollups" : "exact";
}

async function plannedRows(database: Database, query: SQL): Promise<number> {
  const [row] = await database.rows<{ "QUERY PLAN": unknown }>(sql`explain (format json) ${query}`);
  const plan = row?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: { "Plan Rows": number } }[];
  return Number(parsed[0]?.Plan["Plan Rows"] ?? 0);
}

type FigureRow = {
  g: number; b: number | null; k: string | null; traces: number; errors: number; p50: number | null; p95: number | null;
  p99: number | null; tp50: number | null; tp95: number | null; prompt: number; completion: number; cost: number;
};

const emptyFigures = (): StatsFigures => ({
  traces: 0, errors: 0, p50_ms: null, p95_ms: null, p99_ms: null, ttft_p50_ms: null, ttft_p95_ms: null,
  prompt_tokens: 0, completion_tokens: 0, cost_usd: 0,
});

const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
// Sums of float costs that were added and taken back keep crumbs below a millionth of a cent.
const money = (v: unknown) => Math.round(Number(v ?? 0) * 1e9) / 1e9;

const figuresOf = (r: FigureRow): StatsFigures => ({
  traces: Number(r.traces ?? 0), errors: Number(r.errors ?? 0),
  p50_ms: orNull(r.p50), p95_ms: orNull(r.p95), p99_ms: orNull(r.p99), ttft_p50_ms: orNull(r.tp50), ttft_p95_ms: orNull(r.tp95),
  prompt_tokens: Number(r.prompt ?? 0), completion_tokens: Number(r.completion ?? 0), cost_usd: money(r.cost),
});

const keyColumn = (groupBy: GroupBy | undefined, rollups: boolean): SQL => {
  if (groupBy === "model") return sql.raw(rollups ? "model_family" : "coalesce(model_family, '')");
  if (groupBy === "provider") return sql.raw(rollups ? "provider" : "coalesce(provider, '')");
  if (groupBy === "user") return sql`coalesce(${userIdOf()}, '')`;
  return sql`''`;
};

// date_bin on the timestamp itself: extract(epoch …) is a numeric, several times slower over many rows.
const bucketOf = (column: string, seconds: number) =>
  sql`date_bin(${sql.raw(`'${seconds} seconds'`)}::interval, ${sql.raw(column)}, timestamptz '2000-01-01 00:00:00+00')`;

const projectIs = (projectId: string | undefined) => (projectId ? sql`project_id = ${projectId} and` : sql``);

/**
 * Grouping levels (grouping(b, k)): 0 a bucket of a series, 2 a series over the window, 3 everything.
 * percentile_disc: a latency that was measured, the first whose share of the traces reaches p.
 */
const exactFigures = (query: StatsQuery, from: Date, to: Date, seconds: number) => sql`
  select g, b, k, traces, errors, p[1] as p50, p[2] as p95, p[3] as p99, tp[1] as tp50, tp[2] as tp95, prompt, completion, cost from (
  select grouping(b, k) as g, extract(epoch from b)::float8 as b, k, count(*) as traces, count(*) filter (where status = 'error') as errors,
    -- One sort per measure for all its percentiles.
    percentile_disc(array[0.5, 0.95, 0.99]) within group (order by duration_ms) as p,
    percentile_disc(array[0.5, 0.95]) within group (order by ttft_ms) as tp,
    coalesce(sum(prompt_tokens), 0) as prompt, coalesce(sum(completion_tokens), 0) as completion, coalesce(sum(cost_usd), 0) as cost
  from (
    select ${bucketOf("start_time", seconds)} as b, ${keyColumn(query.groupBy, false)} as k,
      status, duration_ms, ttft_ms, prompt_tokens, completion_tokens, cost_usd
    from traces where ${projectIs(query.projectId)} start_time >= ${from.toISOString()}::timestamptz and start_time < ${to.toISOString()}::timestamptz
  ) x
  group by grouping sets ((b, k), (k), ())
  ) y`;

/**
 * The same figures from the rollups: counts and sums add up; each percentile is the representative
 * latency of the first bin whose running count reaches p of the group's (metric 0: durations, 1: TTFTs;
 * 2 counts running traces, which have no duration).
 */
const rollupFigures = (query: StatsQuery, from: Date, to: Date, seconds: number) => sql`
  with h as (
    select grouping(b, k) as g, b, k, metric, bin, sum(traces) as n, sum(errors) as e,
      sum(prompt_tokens) as p, sum(completion_tokens) as c, sum(cost_usd) as cost
    from (
      select ${bucketOf("minute", seconds)} as b, ${keyColumn(query.groupBy, true)} as k,
        metric, bin, traces, errors, prompt_tokens, completion_tokens, cost_usd
      from trace_rollups where ${projectIs(query.projectId)} minute >= ${from.toISOString()}::timestamptz and minute < ${to.toISOString()}::timestamptz
    ) x
    group by grouping sets ((b, k, metric, bin), (k, metric, bin), (metric, bin))
  ),
  c as (
    select h.*, sum(n) over (partition by g, b, k, metric order by bin rows unbounded preceding) as cum,
      sum(n) over (partition by g, b, k, metric) as tot
    from h
  )
  select g, extract(epoch from b)::float8 as b, k, coalesce(sum(n) filter (where metric <> 1), 0) as traces, coalesce(sum(e), 0) as errors,
    latency_of_bin(min(bin) filter (where metric = 0 and tot > 0 and cum >= 0.5 * tot)) as p50,
    latency_of_bin(min(bin) filter (where metric = 0 and tot > 0 and cum >= 0.95 * tot)) as p95,
    latency_of_bin(min(bin) filter (where metric = 0 and tot > 0 and cum >= 0.99 * tot)) as p99,
    latency_of_bin(min(bin) filter (where metric = 1 and tot > 0 and cum >= 0.5 * tot)) as tp50,
    latency_of_bin(min(bin) filter (where metric = 1 and tot > 0 and cum >= 0.95 * tot)) as tp95,
    coalesce(sum(p), 0) as prompt, coalesce(sum(c), 0) as completion, coalesce(sum(cost), 0) as cost
  from c group by g, b, k`;

/** Running traces come from a small partial index (traces_running), not a scan. */
const runningNow = (projectId: string | undefined) => sql`
  select count(*) as running, count(*) filter (where updated_at < now() - interval '${sql.raw(STALE_AFTER)}') as stale
  from traces where ${projectIs(projectId)} status = 'running'`;
