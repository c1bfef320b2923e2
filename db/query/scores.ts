import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { scores, traces } from "../schema.ts";

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

/**
 * Traces with a score of that name (in the range, or with that label), in one of two shapes that
 * select the same traces (bench/scores.ts measured both):
 * - "probe", for a page: each trace the list walks (newest first) is looked up in scores_trace_name,
 *   and the walk stops once the page is full. As a set, the planner misjudged how many scores match
 *   and joined each to every day partition: 11 s for a page.
 * - "set", for the count of all matches: the matching scores come from an index alone
 *   (scores_project_name_value within a project, whose scores are its traces', else scores_name_value)
 *   and are hashed once; a probe per trace took 0.4 s to count 50,000 traces.
 */
export function scoreCondition(filter: ScoreFilter, shape: "probe" | "set", projectId?: string): SQL {
  const where: SQL[] = [sql`s.name = ${filter.name}`];
  if (filter.min !== undefined) where.push(sql`s.value >= ${filter.min}`);
  if (filter.max !== undefined) where.push(sql`s.value <= ${filter.max}`);
  if (filter.label !== undefined) where.push(sql`s.label = ${filter.label}`);
  if (shape === "probe") return sql`exists (select 1 from scores s where s.trace_id = ${traces.id} and ${sql.join(where, sql` and `)})`;
  if (projectId) where.unshift(sql`s.project_id = ${projectId}`);
  return sql`${traces.id} in (select s.trace_id from scores s where ${sql.join(where, sql` and `)})`;
}

/**
 * The traces with a matching score (in a project, or in all), counted from scores alone: the ids, each
 * once, of traces that are stored (a score's flag before_trace says whether its trace is; those few
 * are read whole from their partial index). Exactly the traces a list filtered by this score alone
 * shows, found without reading a trace: across 20 projects of 1M traces, reading them all to
 * check each against the matching scores took 0.4 s, the scores alone 45 ms.
 */
export function scoredTraceIds(db: Db, filter: ScoreFilter, projectId?: string) {
  const where: SQL[] = [eq(scores.name, filter.name)];
  if (projectId) where.unshift(eq(scores.projectId, projectId));
  if (filter.min !== undefined) where.push(gte(scores.value, filter.min));
  if (filter.max !== undefined) where.push(lte(scores.value, filter.max));
  if (filter.label !== undefined) where.push(eq(scores.label, filter.label));
  // Not `not before_trace`: that is in the table, not in the index the rest is read from. An anti-join
  // with the few flagged scores (their partial index), where `not in` would scan them for each match
  // once they outgrew work_mem.
  where.push(sql`not exists (select 1 from scores e where e.trace_id = ${scores.traceId} and e.before_trace)`);
  return db.selectDistinct({ traceId: scores.traceId }).from(scores).where(and(...where));
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
