import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "../connect/open.ts";
import { contextConditions, type ContextFilter } from "./context-filter.ts";
import { rowsOf } from "./rows-of.ts";
import { modelMatches } from "./model-filter.ts";
import { projects, traces } from "../schema.ts";
import { SEARCH_HASHED_UP_TO, searchedHashed, searchKeys, selectTracesMatching } from "./span-search.ts";
import { staleCondition } from "./stale.ts";
import { SPAN_STATUSES, type SpanStatus } from "../write/span-row.ts";
import { traceView, type TraceView } from "./views.ts";
import { countScoredTraces, fewScoresMatch, matchingScoreRows, scoreCondition, withScoreMeans, type ScoreFilter, type ScoreShape } from "./scores.ts";

export type TraceFilter = ContextFilter & {
  projectId?: string;
  provider?: string;
  model?: string;
  /** The root span's status, or `stale`: running with no write for 10 minutes (./stale.ts). */
  status?: string;
  /** true: at least one span failed (or the trace itself); false: none did. */
  hasErrors?: boolean;
  q?: string;
  since?: Date;
  until?: Date;
  score?: ScoreFilter;
};

export const TRACE_SORTS = ["start_time", "duration_ms", "total_tokens", "cost_usd"] as const;
export type TraceSort = (typeof TRACE_SORTS)[number];
export const TRACE_ORDERS = ["asc", "desc"] as const;
export type TraceOrder = (typeof TRACE_ORDERS)[number];

/**
 * Where the last page ended: its last trace's sort value, as the database prints it (so that a
 * timestamp keeps its microseconds and a double every digit), null for a trace without one, and
 * its id, which breaks ties.
 */
export type PageKey = { value: string | null; id: string };
export type ListOrder = { sort: TraceSort; order: TraceOrder; after?: PageKey };
/** `totalIsEstimate`: past COUNT_EXACTLY_UP_TO matches, `total` is the planner's estimate. */
/** A trace as listed: with the mean of each of its score names. */
export type ListedTrace = TraceView & { scores: Record<string, number> };
export type TracePage = { traces: ListedTrace[]; next: PageKey | null; total: number; totalIsEstimate: boolean };

/** Matches counted one by one; past this many, the count is the planner's estimate, flagged. */
export const COUNT_EXACTLY_UP_TO = 100_000;

const SORT_COLUMNS = {
  start_time: { column: traces.startTime, type: sql`timestamptz` },
  duration_ms: { column: traces.durationMs, type: sql`double precision` },
  total_tokens: { column: traces.totalTokens, type: sql`bigint` },
  cost_usd: { column: traces.costUsd, type: sql`double precision` },
} as const;

/** The filter as SQL conditions, a score filter in the shape given (./scores.ts scoreCondition). */
export function traceConditions(filter: TraceFilter, scoreShape: ScoreShape = "probe"): SQL[] {
  const where: SQL[] = [];
  if (filter.projectId) where.push(eq(traces.projectId, filter.projectId));
  if (filter.provider) where.push(eq(traces.provider, filter.provider));
  if (filter.model) where.push(modelMatches(filter.model));
  // Written as a literal, not bound: a plan made for any status could not use the partial index of
  // failed traces (traces_project_root_failed). Only the four statuses get here.
  if (filter.status && SPAN_STATUSES.includes(filter.status as SpanStatus)) where.push(sql`${traces.status} = ${sql.raw(`'${filter.status}'`)}`);
  if (filter.status === "stale") where.push(staleCondition());
  if (filter.hasErrors !== undefined) {
    const failed = sql`(${traces.errorCount} > 0 or ${traces.status} = 'error')`;
    where.push(filter.hasErrors ? failed : sql`not ${failed}`);
  }
  if (filter.since) where.push(gte(traces.startTime, filter.since));
  if (filter.until) where.push(lte(traces.startTime, filter.until));
  if (filter.score) where.push(scoreCondition(filter.score, scoreShape, filter.projectId));
  where.push(...contextConditions(filter));
  return where;
}

/** `select fields from traces`, or with `q` from the traces the search finds (the same columns). */
function selectTraces<F extends SelectedFields>(db: Db, fields: F, filter: TraceFilter) {
  const all = db.select(fields).from(traces);
  return filter.q ? (selectTracesMatching(db, fields, filter.q, filter.projectId) as unknown as typeof all) : all;
}

/**
 * The rows after `after` in the order (column, id), both one way, nulls last. start_time is never
 * null (db/write/trace-summary.ts), and its row comparison alone lets an index walk straight to the page.
 */
function afterKey({ sort, order, after }: ListOrder): SQL | null {
  if (!after) return null;
  const { column, type } = SORT_COLUMNS[sort];
  const beyond = order === "desc" ? sql.raw("<") : sql.raw(">");
  if (after.value === null) return sql`(${column} is null and ${traces.id} ${beyond} ${after.id})`;
  const rowAfter = sql`(${column}, ${traces.id}) ${beyond} (${after.value}::${type}, ${after.id})`;
  return sort === "start_time" ? rowAfter : sql`(${rowAfter} or ${column} is null)`;
}

/**
 * The order, written as the indexes hold it so that a scan of one needs no sort: start_time (never
 * null) and id in their plain order, which traces_start_id serves both ways; the others nulls last,
 * as traces_project_cost and its kin hold them largest first. An id is never null either: the
 * `nulls last` on it only makes the words match the index's.
 */
function orderBy({ sort, order }: ListOrder, filter: TraceFilter): SQL[] {
  const { column } = SORT_COLUMNS[sort];
  const direction = sql.raw(order);
  if (sort === "start_time") return [sql`${column} ${direction}`, sql`${traces.id} ${direction}`];
  // Within a time window, reading the window's traces by start time and sorting them is the fast
  // way: walking a value index from the largest reads every day partition's traces outside the
  // window too (partitions are by the day first seen), 3× slower for 7 of 30 days at 10M spans,
  // yet the planner picks it. "+ 0" keeps the order and hides the index from it.
  const value = filter.since || filter.until ? sql`(${column} + 0)` : column;
  return [sql`${value} ${direction} nulls last`, sql`${traces.id} ${direction} nulls last`];
}

/**
 * The traces matching `filter` in the chosen order (newest start first by default), a page at a
 * time: the keyset is (sort value, id), so a page never repeats or skips a row of the one before,
 * however many rows share a value. `total` counts every match.
 */
export async function listTraces(
  db: Db,
  filter: TraceFilter,
  limit: number,
  listOrder: ListOrder,
  exactUpTo = COUNT_EXACTLY_UP_TO,
  hashedUpTo = SEARCH_HASHED_UP_TO,
): Promise<TracePage> {
  // A rare score's page checks each trace walked against the matching scores' hash, else probes them.
  const rare = filter.score && !filter.q && (await fewScoresMatch(db, filter.score, filter.projectId));
  const where = traceConditions(filter, rare ? "hashed" : "probe");
  const { column } = SORT_COLUMNS[listOrder.sort];
  const after = afterKey(listOrder);
  const pageOf = <F extends SelectedFields>(fields: F) =>
    selectTraces(db, { ...fields, trace: traces, project: projects.name, key: sql<string | null>`${column}::text` }, filter)
      .innerJoin(projects, eq(projects.id, traces.projectId))
      .where(and(...where, ...(after ? [after] : [])))
      .orderBy(...orderBy(listOrder, filter))
      .limit(limit + 1);
  let rows: Awaited<ReturnType<typeof pageOf<{}>>>;
  let count: { total: number; estimated: boolean };
  const hashed = filter.q ? await searchHashed(db, filter, where, after, listOrder, limit, hashedUpTo) : null;
  if (hashed) {
    ({ rows, count } = hashed as unknown as { rows: typeof rows; count: typeof count });
  } else if (filter.q && !after) {
    // A search's first page reads every match anyway, to order them: it counts them in the same
    // pass (a window over all matches, taken before the limit). Counted apart, the search ran twice:
    // at 10M spans each pass rechecks ~10,000 matched texts and looks up their traces.
    const counted = await pageOf({ matching: sql<string>`count(*) over ()` });
    rows = counted;
    count = { total: Number(counted[0]?.matching ?? 0), estimated: false };
  } else {
    [rows, count] = await Promise.all([pageOf({}), countTraces(db, filter, where, exactUpTo)]);
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    traces: await withScoreMeans(db, page.map((r) => traceView(r.trace, r.project))),
    next: rows.length > limit && last ? { value: last.key, id: last.trace.id } : null,
    total: count.total,
    totalIsEstimate: count.estimated,
  };
}

/**
 * A search's page, for up to SEARCH_HASHED_UP_TO matching traces: the list walks its own order
 * (newest first by its index) and checks each trace against a hash of the matches, so that only the
 * page's traces are read, and the matches are counted in the same statement. With no filter but the
 * project, the matches are the total; with others, they are counted among the traces those leave.
 * null past the bound (`upTo`: SEARCH_HASHED_UP_TO but in tests): the caller searches the other way.
 */
async function searchHashed(db: Db, filter: TraceFilter, where: SQL[], after: SQL | null, listOrder: ListOrder, limit: number, upTo: number) {
  const search = searchKeys(db, filter.q!, filter.projectId, upTo);
  const { hits, keys } = search;
  const { column } = SORT_COLUMNS[listOrder.sort];
  const counts = { keys: sql<string>`(select count(*) from ${keys})`, hits: sql<string>`(select count(*) from ${hits})` };
  const rows = await db
    .with(hits, keys)
    .select({ trace: traces, project: projects.name, key: sql<string | null>`${column}::text`, ...counts })
    .from(traces)
    .innerJoin(projects, eq(projects.id, traces.projectId))
    .where(and(...where, searchedHashed(search), ...(after ? [after] : [])))
    .orderBy(...orderBy(listOrder, filter))
    .limit(limit + 1);
  const [first] = rows.length > 0 ? rows : await db.with(hits, keys).select(counts).from(sql`(select 1) one`);
  const found = { keys: Number(first!.keys), hits: Number(first!.hits) };
  if (search.overflowed(found)) return null;
  const otherFilters = traceConditions({ ...filter, q: undefined, projectId: undefined }).length > 0;
  const total = otherFilters
    ? Number((await db.with(hits, keys).select({ n: sql<string>`count(*)` }).from(traces).where(and(...where, searchedHashed(search))))[0]!.n)
    : found.keys;
  return { rows, count: { total, estimated: false } };
}

/**
 * How many traces match: exact up to `exactUpTo` (counting stops one past it, so a count never
 * reads more rows than that), else the planner's estimate of the full count, at least one past the
 * bound. Counted in full, an unfiltered list of 10M traces would take ~1 s on 2 cores. A score
 * filter alone (in a project or not) is counted from scores, with no trace read (./scores.ts
 * countScoredTraces); among other filters, as the set of its matching scores (scoreCondition).
 */
async function countTraces(db: Db, filter: TraceFilter, where: SQL[], exactUpTo: number) {
  const scoreAlone = filter.score && !filter.q && traceConditions({ ...filter, score: undefined, projectId: undefined }).length === 0;
  if (filter.score && !scoreAlone) where = traceConditions(filter, "set");
  const matching = () => selectTraces(db, { one: sql`1` }, filter).where(and(...where));
  const exact = scoreAlone
    ? await countScoredTraces(db, filter.score!, filter.projectId, exactUpTo)
    : Number((await db.select({ n: sql<string>`count(*)` }).from(matching().limit(exactUpTo + 1).as("capped")))[0]!.n);
  if (exact <= exactUpTo) return { total: exact, estimated: false };
  const rows = scoreAlone ? matchingScoreRows(filter.score!, filter.projectId) : matching().getSQL();
  const answer = (await db.execute(sql`explain (format json) ${rows}`)) as unknown;
  // The plan is JSON text (postgres.js) or already parsed (PGlite).
  const plan = rowsOf<Record<string, unknown>>(answer)[0]!["QUERY PLAN"];
  const [top] = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: { "Plan Rows": number } }[];
  return { total: Math.max(Math.round(top!.Plan["Plan Rows"]), exactUpTo + 1), estimated: true };
}

/**
 * Newest first by insertion order, for the export: a stream that must see each trace once while
 * others arrive and start times move, which only the sequence guarantees.
 */
export async function newestFirst<F extends SelectedFields>(
  db: Db,
  fields: F,
  filter: TraceFilter,
  limit: number,
  beforeSeq?: number,
) {
  const where = traceConditions(filter);
  if (beforeSeq !== undefined) where.push(lt(traces.seq, beforeSeq));
  const rows = await selectTraces(db, { ...fields, pageSeq: traces.seq }, filter)
    .innerJoin(projects, eq(projects.id, traces.projectId))
    .where(and(...where))
    .orderBy(desc(traces.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  // Drizzle's result type for a generic field set hides pageSeq; it is there.
  const last = page[page.length - 1] as { pageSeq: number } | undefined;
  return { page, nextSeq: rows.length > limit && last ? last.pageSeq : null };
}

export async function tracesByIds(db: Db, ids: string[]): Promise<ListedTrace[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ trace: traces, project: projects.name })
    .from(traces)
    .innerJoin(projects, eq(projects.id, traces.projectId))
    .where(inArray(traces.id, ids));
  return withScoreMeans(db, rows.map((r) => traceView(r.trace, r.project)));
}
