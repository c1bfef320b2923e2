import { Elysia } from "elysia";
import { facets } from "../../db/query/facets.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";
import { parseTime, problemOf } from "../traces/parse-list-query.ts";
import { answers } from "../openapi/describe.ts";
import { FacetList, FacetQuery } from "../openapi/context-schemas.ts";
import { ErrorBody } from "../openapi/schemas.ts";

type FacetQuery = { project?: string; since?: Date; until?: Date };

/** project, since and until, checked as the list checks them (a 400 names the parameter). */
export function parseFacetQuery(params: URLSearchParams): Checked<FacetQuery> {
  const query: FacetQuery = {};
  for (const key of ["project", "since", "until"] as const) {
    const raw = params.get(key);
    if (!raw) continue;
    const problem = problemOf(raw);
    if (problem) return invalid(key, problem);
    if (key === "project") {
      query.project = raw;
      continue;
    }
    const time = parseTime(raw);
    if (!time) return invalid(key, `must be an ISO 8601 time or Unix seconds between the years 1 and 9999, got "${raw}"`);
    query[key] = time;
  }
  return valid(query);
}

/** GET /api/v1/facets: the providers, model families, users, tags and metadata keys of a window's traces, with counts. */
export const facetRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/v1/facets", async ({ request }) => {
    const parsed = parseFacetQuery(new URL(request.url).searchParams);
    if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
    const { project, since, until } = parsed.value;
    let projectId: string | undefined;
    if (project) {
      const id = await deps.store.projects.idOf(project);
      if (!id) return { providers: [], models: [], users: [], tags: [], metadata_keys: [], scores: [] };
      projectId = id;
    }
    return facets(deps.store.db, { projectId, since, until });
  }, {
    query: FacetQuery,
    detail: {
      summary: "Filter values with counts",
      description: "The providers, model families, users, tags and top-level metadata keys of a window's traces, most common first.",
      tags: ["traces"],
      responses: answers({ 200: ["the values", FacetList], 400: ["a parameter that cannot be read, named", ErrorBody] }),
    },
  });
