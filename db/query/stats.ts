import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../connect/open.ts";
import { ROLLUP_GRAINS } from "../write/rollups.ts";

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
 * users), else from the per-minute, per-hour and six-hour rollups the writer keeps (db/write/rollups.ts), merged here.
 */
export async function stats(database: Database, query: StatsQuery, extras?: StatsExtras): Promise<Stats> {
  const seconds = BUCKETS[query.bucket];
  const step = seconds * 1000;
  const from = new Date(Math.floor(query.since.getTime() / step) * step);
  const to = new Date((Math.floor(query.until.getTime() / step) + 1) * step);
  const source = query.groupBy === "user" ? "exact" : query.source ?? defaultSource(from, to);
  const grouped = query.groupBy !== undefined;
  const [rows, [live]] = await Promise.all([
    source === "exact"
      ? database.rows<FigureRow>(exactFigures(query, from, to, seconds))
      : database.rows<RollupRow>(rollupRows(query, from, to, seconds)).then(mergeRollups),
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
 * Exact for short windows, else the rollups: a rollup row holds every trace of its project, grain,
 * model and provider, so there are never more of them than traces, and far fewer in a busy project.
 */
const defaultSource = (from: Date, to: Date): StatsSource => (to.getTime() - from.getTime() <= EXACT_UP_TO_MS ? "exact" : "rollups");

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

type RollupRow = { b: number; k: string; traces: number; errors: number; prompt: number; completion: number; cost: number; d: string; t: string };

/**
 * The rollup rows of the window, at the coarsest grain that divides the bucket (ROLLUP_GRAINS), each with
 * its bucket and series key; mergeRollups adds them up. The histograms come as text, read by addStored.
 */
const rollupRows = (query: StatsQuery, from: Date, to: Date, seconds: number) => {
  const minutes = [...ROLLUP_GRAINS].reverse().find((grain) => seconds % (grain * 60) === 0) ?? 1;
  return sql`
  select extract(epoch from ${bucketOf("start", seconds)})::float8 as b, ${keyColumn(query.groupBy, true)} as k, traces, errors,
    prompt_tokens as prompt, completion_tokens as completion, cost_usd as cost, durations::text as d, ttfts::text as t
  from trace_rollups where ${projectIs(query.projectId)} minutes = ${minutes}
    and start >= ${from.toISOString()}::timestamptz and start < ${to.toISOString()}::timestamptz`;
};

// latency_of_bin() (migration 0008): the representative latency of a bin, within 1.9% of every latency in it.
const BIN_RATIO = 1.019 / 0.981;
const latencyOfBin = (bin: number) => (bin <= 0 ? 0.01 : (2 * BIN_RATIO ** bin) / (BIN_RATIO + 1) / 100);

/**
 * Counts by latency bin, indexed by the bin (a few hundred: an hour is bin 519), in a typed
 * array that grows to the highest bin seen (an array set at a high index first would turn into a slow
 * dictionary).
 */
type Histogram = { n: Float64Array };
type Merged = { traces: number; errors: number; prompt: number; completion: number; cost: number; d: Histogram; t: Histogram };
const emptyMerged = (): Merged => ({ traces: 0, errors: 0, prompt: 0, completion: 0, cost: 0, d: { n: new Float64Array(0) }, t: { n: new Float64Array(0) } });

function room(histogram: Histogram, bin: number) {
  if (bin < histogram.n.length) return;
  const grown = new Float64Array(Math.max(bin + 1, 2 * histogram.n.length, 128));
  grown.set(histogram.n);
  histogram.n = grown;
}

/**
 * Adds a stored histogram, as jsonb's text ({"150": 2, "151": 1}), read by hand: ten times faster than
 * JSON.parse and a for-in over its keys, and this is most of the overview's work over long windows.
 */
function addStored(into: Histogram, text: string) {
  let number = 0;
  let negative = false;
  let inNumber = false;
  let bin = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      number = number * 10 + (c - 48);
      inNumber = true;
    } else if (c === 45) negative = true;
    else if (inNumber) {
      if (bin < 0) {
        bin = number;
        room(into, bin);
      } else {
        into.n[bin]! += negative ? -number : number;
        bin = -1;
      }
      number = 0;
      negative = false;
      inNumber = false;
    }
  }
}

function addHistogram(into: Histogram, from: Histogram) {
  room(into, from.n.length - 1);
  for (let bin = 0; bin < from.n.length; bin++) into.n[bin]! += from.n[bin]!;
}

function addScalars(into: Merged, row: Omit<Merged, "d" | "t">) {
  into.traces += Number(row.traces);
  into.errors += Number(row.errors);
  into.prompt += Number(row.prompt);
  into.completion += Number(row.completion);
  into.cost += Number(row.cost);
}

/** The representative latency of the first bin whose running count reaches p of the histogram's, per p. */
function percentiles(histogram: Histogram, ps: number[]): (number | null)[] {
  const counts = histogram.n;
  let total = 0;
  for (let bin = 0; bin < counts.length; bin++) total += counts[bin]!;
  return ps.map((p) => {
    if (total <= 0) return null;
    let running = 0;
    let last = 0;
    for (let bin = 0; bin < counts.length; bin++) {
      if (counts[bin] === 0) continue;
      running += counts[bin]!;
      last = bin;
      if (running >= p * total) return latencyOfBin(bin);
    }
    return latencyOfBin(last);
  });
}

/**
 * The rollup rows merged into the exact query's figure rows (grouping levels 0: a bucket of a series,
 * 2: a series, 3: everything): counts and sums add up, histograms add bin by bin.
 */
function mergeRollups(rows: RollupRow[]): FigureRow[] {
  const buckets = new Map<string, { b: number; k: string; merged: Merged }>();
  for (const row of rows) {
    const id = `${row.b}\u0000${row.k}`;
    let entry = buckets.get(id);
    if (!entry) buckets.set(id, (entry = { b: Number(row.b), k: row.k, merged: emptyMerged() }));
    addScalars(entry.merged, row);
    addStored(entry.merged.d, row.d);
    addStored(entry.merged.t, row.t);
  }
  const series = new Map<string, Merged>();
  const all = emptyMerged();
  for (const { k, merged } of buckets.values()) {
    let total = series.get(k);
    if (!total) series.set(k, (total = emptyMerged()));
    for (const into of [total, all]) {
      addScalars(into, merged);
      addHistogram(into.d, merged.d);
      addHistogram(into.t, merged.t);
    }
  }
  const figureRow = (g: number, b: number | null, k: string | null, m: Merged): FigureRow => {
    const [p50, p95, p99] = percentiles(m.d, [0.5, 0.95, 0.99]);
    const [tp50, tp95] = percentiles(m.t, [0.5, 0.95]);
    return { g, b, k, traces: m.traces, errors: m.errors, p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null, tp50: tp50 ?? null, tp95: tp95 ?? null, prompt: m.prompt, completion: m.completion, cost: m.cost };
  };
  return [
    ...[...buckets.values()].map(({ b, k, merged }) => figureRow(0, b, k, merged)),
    ...[...series.entries()].map(([k, merged]) => figureRow(2, null, k, merged)),
    figureRow(3, null, null, all),
  ];
}

/** Running traces come from a small partial index (traces_running), not a scan. */
const runningNow = (projectId: string | undefined) => sql`
  select count(*) as running, count(*) filter (where updated_at < now() - interval '${sql.raw(STALE_AFTER)}') as stale
  from traces where ${projectIs(projectId)} status = 'running'`;
