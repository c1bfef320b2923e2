import type { ContextFilter, MetadataMatch } from "../../db/query/context-filter.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";
import { problemOf } from "./parse-list-query.ts";

// Filters per query: what a person builds in the dashboard, far past it, not a way to send a document.
const MAX_TAGS = 100;
const MAX_METADATA = 20;

/** `user=`, `session=`, `tag=` (repeatable) and `metadata.KEY=VALUE` of a list or export query. */
export function parseContextQuery(params: URLSearchParams): Checked<ContextFilter> {
  const filter: ContextFilter = {};
  for (const [param, field] of [["user", "user"], ["session", "session"]] as const) {
    const value = params.get(param);
    if (!value) continue;
    const problem = problemOf(value);
    if (problem) return invalid(param, problem);
    filter[field] = value;
  }
  const tags = params.getAll("tag").filter((t) => t !== "");
  if (tags.length > MAX_TAGS) return invalid("tag", `is given ${tags.length} times; the limit is ${MAX_TAGS}`);
  for (const tag of tags) {
    const problem = problemOf(tag);
    if (problem) return invalid("tag", problem);
  }
  if (tags.length) filter.tags = tags;
  const metadata: MetadataMatch[] = [];
  for (const [param, value] of params) {
    if (!param.startsWith("metadata.")) continue;
    const key = param.slice("metadata.".length);
    if (!key || key.split(".").some((part) => part === "")) return invalid(param, "must name a key: metadata.KEY=VALUE, nested keys joined by dots");
    const problem = problemOf(key) ?? problemOf(value);
    if (problem) return invalid(param, problem);
    metadata.push({ key, value });
  }
  if (metadata.length > MAX_METADATA) return invalid("metadata", `${metadata.length} metadata filters; the limit is ${MAX_METADATA}`);
  if (metadata.length) filter.metadata = metadata;
  return valid(filter);
}
