import type { AppDeps } from "../app-deps.ts";
import { invalid, valid, type Checked } from "./checked.ts";
import { problemOf } from "../traces/parse-list-query.ts";

export type PageQuery = { project?: string; limit: number; cursor?: string; extra: Record<string, string | undefined> };

/** project, limit, cursor and the named extra parameters of a view's query, each checked as the list checks them. */
export function parsePageQuery(params: URLSearchParams, extra: string[]): Checked<PageQuery> {
  const query: PageQuery = { limit: 50, extra: {} };
  for (const key of ["project", "cursor", ...extra]) {
    const raw = params.get(key);
    if (!raw) continue;
    const problem = problemOf(raw);
    if (problem) return invalid(key, problem);
    if (key === "project" || key === "cursor") query[key] = raw;
    else query.extra[key] = raw;
  }
  const rawLimit = params.get("limit");
  if (rawLimit) {
    const limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 500) return invalid("limit", `must be an integer from 1 to 500, got "${rawLimit}"`);
    query.limit = limit;
  }
  return valid(query);
}

/** The project's id: undefined for every project, null for a project that does not exist (nothing matches). */
export async function projectIdOf(deps: AppDeps, project: string | undefined): Promise<string | null | undefined> {
  if (!project) return undefined;
  return (await deps.store.projects.idOf(project)) ?? null;
}
