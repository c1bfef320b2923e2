import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { scores, traces } from "../schema.ts";
import { rowsOf } from "./rows-of.ts";

type ScoreRow = typeof scores.$inferSelect;

/** A score as the API returns it (docs/SCORES.md). */
export function scoreView(row: ScoreRow) {
  return {
    id: row.id,
    trace_id: row.traceId,
    span_id: row.spanId,
    name: row.name,
    value: row.value,
    label: row.label,
    comment: row.comment,
    source: row.source,
    author: row.author,
    metadata: row.metadata,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
export type ScoreView = ReturnType<typeof scoreView>;

/** Every score of a trace, its own and its spans', oldest first. */
export async function scoresOfTrace(db: Db, traceId: string): Promise<ScoreView[]> {
  const rows = await db.select().from(scores).where(eq(scores.traceId, traceId)).orderBy(asc(scores.createdAt), asc(scores.id));
  return rows.map(scoreView);
}

/** Per trace, the mean value of each score name (labels have none): what the list shows per row. */
export async function scoreMeansOf(db: Db, traceIds: string[]): Promise<Map<string, Record<string, number>>> {
  const means = new Map<string, Record<string, number>>();
  if (traceIds.length === 0) return means;
  const rows = await db
    .select({ traceId: scores.traceId, name: scores.name, mean: sql<number>`avg(${scores.value})::float8` })
    .from(scores)
    .where(and(inArray(scores.traceId, traceIds), isNotNull(scores.value)))
    .groupBy(scores.traceId, scores.name);
  for (const r of rows) {
    const of = means.get(r.traceId) ?? {};
    of[r.name] = Number(r.mean);
    means.set(r.traceId, of);
  }
  return means;
}

/** Traces as listed, each with `scores`: its means by name ({} for none). */
export async function withScoreMeans<T extends { id: string }>(db: Db, views: T[]): Promise<(T & { scores: Record<string, number> })[]> {
  const means = await scoreMeansOf(db, views.map((v) => v.id));
  return views.map((v) => ({ ...v, scores: means.get(v.id) ?? {} }));
}

/** The list's score filter: a name, with a numeric range or a label. */
export type ScoreFilter = { name: string; min?: number; max?: number; label?: string };
export type ScoreShape = "probe" | "set" | "hashed";

/** At most this many matching scores: a page walks the traces against their hash (scoreCondition). */
export const FEW_SCORES = 2_000;

/** Whether FEW_SCORES or fewer scores match: a count that stops one past it, from an index alone. */
export async function fewScoresMatch(db: Db, filter: ScoreFilter, projectId?: string): Promise<boolean> {
  const [row] = rowsOf<{ n: string }>(
    await db.execute(sql`select count(*) as n from (${matchingScoreRows(filter, projectId)} limit ${FEW_SCORES + 1}) c`),
  );
  return Number(row!.n) <= FEW_SCORES;
}

/**
 * Traces with a score of that name (in the range, or with that label), in one of three shapes that
 * select the same traces (bench/scores.ts measured them):
 * - "probe", for a page: each trace the list walks (newest first) is looked up in scores_trace_name,
 *   and the walk stops once the page is full. As a set, the planner misjudged how many scores match
 *   and joined each to every day partition: 11 s for a page.
 * - "set", for the count of all matches: the matching scores come from an index alone
 *   (scores_project_name_value within a project, whose scores are its traces', else scores_name_value)
 *   and are hashed once; a probe per trace took 0.4 s to count 50,000 traces.
 * - "hashed", for a page of a rare score (FEW_SCORES or fewer match): the matching scores hashed and
 *   each trace walked checked against them, no probe. Written `(… in (…)) is true` so that it stays
 *   a filter on the walk (a bare `in` becomes the join above). The hash is made once per day
 *   partition: for 495 matches in a project of 50,000 traces, 23–52 ms against 60–157 for the probes
 *   (load ~8); for 9,908 across all projects, 320–690 ms against 38–99.
 */
export function scoreCondition(filter: ScoreFilter, shape: ScoreShape, projectId?: string): SQL {
  const where: SQL[] = [sql`s.name = ${filter.name}`];
  if (filter.min !== undefined) where.push(sql`s.value >= ${filter.min}`);
  if (filter.max !== undefined) where.push(sql`s.value <= ${filter.max}`);
  if (filter.label !== undefined) where.push(sql`s.label = ${filter.label}`);
  if (shape === "probe") return sql`exists (select 1 from scores s where s.trace_id = ${traces.id} and ${sql.join(where, sql` and `)})`;
  if (projectId) where.unshift(sql`s.project_id = ${projectId}`);
  const matching = sql`${traces.id} in (select s.trace_id from scores s where ${sql.join(where, sql` and `)})`;
  return shape === "hashed" ? sql`(${matching}) is true` : matching;
}

/** The scores a list's score filter matches, in a project or in all (`s`: the scores table's alias). */
function matchingScores(filter: ScoreFilter, projectId?: string): SQL {
  const where: SQL[] = [sql`s.name = ${filter.name}`];
  if (projectId) where.push(sql`s.project_id = ${projectId}`);
  if (filter.min !== undefined) where.push(sql`s.value >= ${filter.min}`);
  if (filter.max !== undefined) where.push(sql`s.value <= ${filter.max}`);
  if (filter.label !== undefined) where.push(sql`s.label = ${filter.label}`);
  return sql.join(where, sql` and `);
}

/** One row per matching score: what the planner estimates when the count passes its bound. */
export const matchingScoreRows = (filter: ScoreFilter, projectId?: string) =>
  sql`select 1 from scores s where ${matchingScores(filter, projectId)}`;

/**
 * How many stored traces have a matching score (in a project, or in all), counted from scores alone,
 * with no trace read: the matching scores, less those counted apart (flagged: their trace is not
 * stored yet, or has another score of the name; few, from their partial index), plus the stored
 * traces of those, each once. Any other score is the only one of its name on a stored trace. Exact
 * up to `exactUpTo`; past it, some number above. Across 20 projects of 1M traces with 100,000
 * matches, reading every trace to check it against the matching scores took 0.4 s; the scores'
 * ids each once (a hash of 100,000) 0.28 s at load 8; their plain count 40 ms.
 */
export async function countScoredTraces(db: Db, filter: ScoreFilter, projectId: string | undefined, exactUpTo: number): Promise<number> {
  const matching = matchingScores(filter, projectId);
  const [row] = rowsOf<{ n: string }>(
    await db.execute(sql`with apart as (select count(*) as n from scores s where ${matching} and (s.before_trace or s.shares_name)),
      counted as (select count(*) as n from (select 1 from scores s where ${matching} limit (select n from apart) + ${exactUpTo + 1}) c),
      traced as (select count(distinct s.trace_id) as n from scores s where ${matching} and (s.before_trace or s.shares_name) and not s.before_trace)
      select (select n from counted) - (select n from apart) + (select n from traced) as n`),
  );
  return Number(row!.n);
}

/** A project's score names in a window, with how many scores each: the facets' and the list columns' names. */
export async function scoreNames(db: Db, filter: { projectId?: string; since?: Date; until?: Date }, max: number) {
  const where: SQL[] = [];
  if (filter.projectId) where.push(eq(scores.projectId, filter.projectId));
  if (filter.since) where.push(gte(scores.createdAt, filter.since));
  if (filter.until) where.push(lte(scores.createdAt, filter.until));
  const rows = await db
    .select({ value: scores.name, count: sql<string>`count(*)` })
    .from(scores)
    .where(and(...where))
    .groupBy(scores.name)
    .orderBy(sql`count(*) desc`, scores.name)
    .limit(max);
  return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
}

/** Deletes a score; whether there was one. */
export async function deleteScore(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(scores).where(eq(scores.id, id)).returning({ id: scores.id });
  return rows.length > 0;
}
