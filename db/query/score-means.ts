import { and, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { scores } from "../schema.ts";

export type ScoreMeansQuery = { projectId?: string; since: Date; until: Date; bucketSeconds: number };
/** One bucket: its start (ISO 8601 UTC) and the mean value of each score name given in it. */
export type ScoreMeansPoint = { t: string; scores: Record<string, number> };

/**
 * The mean of each score name per time bucket, for the overview's charts (GET /api/v1/stats joins
 * these to its points by `t`). A score counts in the bucket of when it was given (created_at, which
 * scores_project_name_time orders), from `since` (inclusive) to `until` (exclusive); buckets start at
 * multiples of the bucket since the Unix epoch, as the stats' do. Labels have no mean and are left out;
 * buckets without scores are not listed.
 */
export async function scoreMeans(db: Db, query: ScoreMeansQuery): Promise<ScoreMeansPoint[]> {
  if (!(query.bucketSeconds > 0)) throw new RangeError("bucketSeconds must be positive");
  const bucket = sql`floor(extract(epoch from ${scores.createdAt}) / ${query.bucketSeconds}::float8) * ${query.bucketSeconds}::float8`;
  const where: SQL[] = [gte(scores.createdAt, query.since), lt(scores.createdAt, query.until), isNotNull(scores.value)];
  if (query.projectId) where.push(eq(scores.projectId, query.projectId));
  const rows = await db
    .select({ start: sql<number>`${bucket}`, name: scores.name, mean: sql<number>`avg(${scores.value})::float8` })
    .from(scores)
    .where(and(...where))
    .groupBy(sql`1`, scores.name)
    .orderBy(sql`1`, scores.name);
  const points = new Map<number, ScoreMeansPoint>();
  for (const r of rows) {
    const start = Number(r.start);
    let point = points.get(start);
    if (!point) points.set(start, (point = { t: new Date(start * 1000).toISOString(), scores: {} }));
    point.scores[r.name] = Number(r.mean);
  }
  return [...points.values()];
}
