import { and, count, desc, eq, gte, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { traces } from "../schema.ts";
import { rowsOf } from "./rows-of.ts";
import { scoreNames } from "./scores.ts";

export type FacetFilter = { projectId?: string; since?: Date; until?: Date };
export type FacetValue = { value: string; count: number };
export type Facets = { providers: FacetValue[]; models: FacetValue[]; users: FacetValue[]; tags: FacetValue[]; metadata_keys: FacetValue[]; scores: FacetValue[] };

// A facet lists the values a dropdown can offer: the most common first, not every one ever seen.
const MAX_VALUES = 200;
// Users, tags and metadata keys can be many more: the top 100 (DESIGN.md).
const MAX_CONTEXT_VALUES = 100;

/**
 * The providers, model families, users, tags and top-level metadata keys of the traces in a window,
 * each with its number of traces.
 */
export async function facets(db: Db, filter: FacetFilter): Promise<Facets> {
  const where: SQL[] = [];
  if (filter.projectId) where.push(eq(traces.projectId, filter.projectId));
  if (filter.since) where.push(gte(traces.startTime, filter.since));
  if (filter.until) where.push(lte(traces.startTime, filter.until));
  const valuesOf = async (column: typeof traces.provider | typeof traces.modelFamily | typeof traces.userId, limit = MAX_VALUES) => {
    const rows = await db
      .select({ value: column, count: count() })
      .from(traces)
      .where(and(...where, isNotNull(column)))
      .groupBy(column)
      .orderBy(desc(count()), column)
      .limit(limit);
    return rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  };
  // Each element of a trace's tags, or each key of its metadata, counted once per trace.
  const elementsOf = async (elements: SQL, column: typeof traces.tags | typeof traces.metadata) => {
    const condition = where.length ? sql`${and(...where, isNotNull(column))}` : sql`${column} is not null`;
    const rows = rowsOf<{ value: string; count: number }>(await db.execute(sql`select e.value, count(*)::int as count
      from ${traces} cross join lateral ${elements} as e(value)
      where ${condition} group by e.value order by count(*) desc, e.value limit ${MAX_CONTEXT_VALUES}`));
    return rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  };
  // Score names by when the scores were given (a score's time, not its trace's).
  const [providers, models, users, tags, metadataKeys, scores] = await Promise.all([
    valuesOf(traces.provider),
    valuesOf(traces.modelFamily),
    valuesOf(traces.userId, MAX_CONTEXT_VALUES),
    elementsOf(sql`unnest(${traces.tags})`, traces.tags),
    elementsOf(sql`jsonb_object_keys(case when jsonb_typeof(${traces.metadata}) = 'object' then ${traces.metadata} end)`, traces.metadata),
    scoreNames(db, filter, MAX_VALUES),
  ]);
  return { providers, models, users, tags, metadata_keys: metadataKeys, scores };
}
