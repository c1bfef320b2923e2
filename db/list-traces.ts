import { and, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "./open.ts";
import { modelMatches } from "./model-filter.ts";
import { projects, traces } from "./schema.ts";
import { traceView, type TraceView } from "./views.ts";

export type TraceFilter = {
  projectId?: string;
  provider?: string;
  model?: string;
  status?: string;
  q?: string;
  since?: Date;
  until?: Date;
};

export type TracePage = { traces: TraceView[]; nextSeq: number | null };

/** Escapes LIKE wildcards so a search for "50%" means those three characters. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function traceConditions(filter: TraceFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.projectId) where.push(eq(traces.projectId, filter.projectId));
  if (filter.provider) where.push(eq(traces.provider, filter.provider));
  if (filter.model) where.push(modelMatches(filter.model));
  if (filter.status) where.push(eq(traces.status, filter.status));
  if (filter.since) where.push(gte(traces.startTime, filter.since));
  if (filter.until) where.push(lte(traces.startTime, filter.until));
  if (filter.q) {
    const pattern = likePattern(filter.q);
    where.push(
      or(
        sql`${traces.name} ilike ${pattern}`,
        sql`${traces.id} = ${filter.q}`,
        sql`${traces.input}::text ilike ${pattern}`,
        sql`${traces.output}::text ilike ${pattern}`,
      )!,
    );
  }
  return where;
}

/**
 * Newest first by insertion order. The cursor is the last seq seen, so traces
 * that arrive while someone pages land before page one and never shift a page.
 * The list and the export share it, each choosing what a row carries.
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
  const rows = await db
    .select({ ...fields, pageSeq: traces.seq })
    .from(traces)
    .innerJoin(projects, eq(projects.id, traces.projectId))
    .where(and(...where))
    .orderBy(desc(traces.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  // Drizzle's result type for a generic field set hides pageSeq; it is there.
  const last = page[page.length - 1] as { pageSeq: number } | undefined;
  return { page, nextSeq: rows.length > limit && last ? last.pageSeq : null };
}

export async function listTraces(
  db: Db,
  filter: TraceFilter,
  limit: number,
  beforeSeq?: number,
): Promise<TracePage> {
  const { page, nextSeq } = await newestFirst(db, { trace: traces, project: projects.name }, filter, limit, beforeSeq);
  return { traces: page.map((r) => traceView(r.trace, r.project)), nextSeq };
}

export async function tracesByIds(db: Db, ids: string[]): Promise<TraceView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ trace: traces, project: projects.name })
    .from(traces)
    .innerJoin(projects, eq(projects.id, traces.projectId))
    .where(inArray(traces.id, ids));
  return rows.map((r) => traceView(r.trace, r.project));
}
