import { and, count, desc, eq, gte, isNotNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { traces } from "../schema.ts";
import { scoreNames } from "./scores.ts";

export type FacetFilter = { projectId?: string; since?: Date; until?: Date };
export type FacetValue = { value: string; count: number };
export type Facets = { providers: FacetValue[]; models: FacetValue[]; scores: FacetValue[] };

// A facet lists the values a dropdown can offer: the most common first, not every one ever seen.
const MAX_VALUES = 200;

/** The providers and model families of the traces in a window, each with its number of traces. */
export async function facets(db: Db, filter: FacetFilter): Promise<Facets> {
  const where: SQL[] = [];
  if (filter.projectId) where.push(eq(traces.projectId, filter.projectId));
  if (filter.since) where.push(gte(traces.startTime, filter.since));
  if (filter.until) where.push(lte(traces.startTime, filter.until));
  const valuesOf = async (column: typeof traces.provider | typeof traces.modelFamily) => {
    const rows = await db
      .select({ value: column, count: count() })
      .from(traces)
      .where(and(...where, isNotNull(column)))
      .groupBy(column)
      .orderBy(desc(count()), column)
      .limit(MAX_VALUES);
    return rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  };
  // Score names by when the scores were given (a score's time, not its trace's).
  const [providers, models, scores] = await Promise.all([valuesOf(traces.provider), valuesOf(traces.modelFamily), scoreNames(db, filter, MAX_VALUES)]);
  return { providers, models, scores };
}
