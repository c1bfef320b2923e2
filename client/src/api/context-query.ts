import type { TraceFilters } from "./types.ts";

/** The filters as query parameters: `tag` repeated, each metadata filter as `metadata.KEY`. */
export function asQuery(filters: TraceFilters): Record<string, string | string[] | undefined> {
  const { metadata, tag, ...rest } = filters;
  const query: Record<string, string | string[] | undefined> = { ...rest };
  if (tag?.length) query.tag = tag;
  for (const [key, value] of Object.entries(metadata ?? {})) query[`metadata.${key}`] = value;
  return query;
}

/** The context filters (user, session, tags, metadata) a page's URL holds. */
export function contextFiltersOf(search: URLSearchParams): Pick<TraceFilters, "user" | "session" | "tag" | "metadata"> {
  const filters: Pick<TraceFilters, "user" | "session" | "tag" | "metadata"> = {};
  const user = search.get("user");
  const session = search.get("session");
  const tags = search.getAll("tag").filter(Boolean);
  if (user) filters.user = user;
  if (session) filters.session = session;
  if (tags.length) filters.tag = tags;
  for (const [key, value] of search) {
    if (!key.startsWith("metadata.") || key === "metadata.") continue;
    (filters.metadata ??= {})[key.slice("metadata.".length)] = value;
  }
  return filters;
}
