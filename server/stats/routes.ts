import { Elysia } from "elysia";
import { scoreMeans } from "../../db/query/score-means.ts";
import { autoBucket, BUCKETS, GROUPS, MAX_POINTS, stats, type BucketName, type GroupBy, type StatsExtras, type StatsSource } from "../../db/query/stats.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";
import { answers } from "../openapi/describe.ts";
import { ErrorBody, Stats, StatsQuery } from "../openapi/schemas.ts";
import { parseFacetQuery } from "../facets/routes.ts";

const DEFAULT_WINDOW_MS = 86_400_000;

type ParsedStats = { project?: string; since: Date; until: Date; bucket: BucketName; groupBy?: GroupBy; source?: StatsSource };

/** The overview's parameters; project, since and until as the facets check them. A 400 names the parameter. */
export function parseStatsQuery(params: URLSearchParams, now: Date): Checked<ParsedStats> {
  const window = parseFacetQuery(params);
  if (!window.ok) return window;
  const until = window.value.until ?? now;
  const since = window.value.since ?? new Date(until.getTime() - DEFAULT_WINDOW_MS);
  if (since.getTime() >= until.getTime()) return invalid("since", "must be before until");
  const rawBucket = params.get("bucket") || "auto";
  if (rawBucket !== "auto" && !(rawBucket in BUCKETS)) {
    return invalid("bucket", `must be one of ${Object.keys(BUCKETS).join(", ")} or auto, got "${rawBucket}"`);
  }
  const bucket = rawBucket === "auto" ? autoBucket(until.getTime() - since.getTime()) : (rawBucket as BucketName);
  const points = (until.getTime() - since.getTime()) / (BUCKETS[bucket] * 1000);
  if (points > MAX_POINTS) return invalid("bucket", `${bucket} would draw ${Math.ceil(points)} points for this window, more than ${MAX_POINTS}: take a larger bucket or auto`);
  const groupBy = params.get("group_by") || undefined;
  if (groupBy && !GROUPS.includes(groupBy as GroupBy)) return invalid("group_by", `must be one of ${GROUPS.join(", ")}, got "${groupBy}"`);
  const source = params.get("source") || undefined;
  if (source && source !== "exact" && source !== "rollups") return invalid("source", `must be exact or rollups, got "${source}"`);
  return valid({ project: window.value.project, since, until, bucket, groupBy: groupBy as GroupBy | undefined, source: source as StatsSource | undefined });
}

/**
 * The mean of each score name per bucket, as the ungrouped series' `extra` (scores are given to traces
 * and spans, not to a model, so a model's line has none).
 */
const scoreMeansExtra: StatsExtras = async (database, query) => {
  if (query.groupBy) return new Map();
  const points = await scoreMeans(database.db, { projectId: query.projectId, since: query.from, until: query.to, bucketSeconds: query.bucketSeconds });
  return new Map([["all", new Map(points.map((p) => [p.t, p.scores]))]]);
};

/** GET /api/v1/stats: a project's overview over time (db/query/stats.ts). */
export const statsRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/v1/stats", async ({ request }) => {
    const parsed = parseStatsQuery(new URL(request.url).searchParams, new Date());
    if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
    const { project, ...query } = parsed.value;
    // An unknown project has no traces: the same empty overview, not a 404 (it may start sending any time).
    const projectId = project ? ((await deps.store.projects.idOf(project)) ?? `unknown:${project}`) : undefined;
    return stats(deps.store.database, { ...query, projectId }, scoreMeansExtra);
  }, {
    // Described for the document; parseStatsQuery checks them and names the one at fault.
    query: StatsQuery,
    detail: {
      summary: "A project's overview over time",
      description: "Per bucket (and model family, provider or user): traces, root failures, duration and TTFT percentiles, tokens and cost, with totals; empty buckets present. Ungrouped, a bucket's `extra` holds the mean of each score name given in it.",
      tags: ["traces"],
      responses: answers({ 200: ["the overview", Stats], 400: ["a parameter that cannot be read, named", ErrorBody] }),
    },
  });
