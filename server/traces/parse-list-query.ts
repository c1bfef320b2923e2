import { TRACE_ORDERS, TRACE_SORTS, type ListOrder, type PageKey, type TraceFilter, type TraceOrder, type TraceSort } from "../../db/query/list-traces.ts";
import type { ScoreFilter } from "../../db/query/scores.ts";
import { LIST_STATUSES } from "../../db/query/stale.ts";
import { parseContextQuery } from "./parse-context-query.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";

export type ListQuery = { filter: Omit<TraceFilter, "projectId">; project?: string; limit: number; order: ListOrder };

// A cursor names the order it pages, so that one issued for another order is refused, not misread.
type CursorJson = { s: TraceSort; o: TraceOrder; v: string | null; i: string };

export const encodeCursor = (order: ListOrder, key: PageKey) =>
  Buffer.from(JSON.stringify({ s: order.sort, o: order.order, v: key.value, i: key.id } satisfies CursorJson)).toString("base64url");

// Every value here reaches a query as a bound parameter: what the database would refuse (a NUL,
// a time outside its range, a number past bigint) must be a 400 here, never its error.
const MAX_PARAM_CHARS = 1_024;
const PARAMS = ["limit", "status", "provider", "model", "q", "project", "since", "until", "cursor", "sort", "order", "has_errors", "score_name", "score_min", "score_max", "score_label"] as const;
// Years 1 to 9999: what ISO 8601 writes without an expanded year, and inside Postgres' range.
const EARLIEST = new Date("0001-01-01T00:00:00Z").getTime();
const LATEST = new Date("9999-12-31T23:59:59.999Z").getTime();
// A sort value as the database printed it: a timestamptz (ISO DateStyle), or a number.
const KEY_VALUE = {
  start_time: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2}){0,2}|Z)$/,
  number: /^-?\d{1,20}(\.\d{1,20})?(e[+-]?\d{1,3})?$/i,
};

function decodeCursor(cursor: string, order: ListOrder): PageKey | string {
  let parsed: CursorJson;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    return "is not a cursor this server issued";
  }
  const { s, o, v, i } = (parsed ?? {}) as Partial<CursorJson>;
  if (!TRACE_SORTS.includes(s as never) || !TRACE_ORDERS.includes(o as never) || typeof i !== "string" || (v !== null && typeof v !== "string")) {
    return "is not a cursor this server issued";
  }
  if (s !== order.sort || o !== order.order) return `was issued for sort=${s}&order=${o}; ask again without it for sort=${order.sort}&order=${order.order}`;
  if (v !== null && !(s === "start_time" ? KEY_VALUE.start_time : KEY_VALUE.number).test(v)) return "is not a cursor this server issued";
  if (i.includes("\u0000") || (v === null && s === "start_time")) return "is not a cursor this server issued";
  return { value: v, id: i };
}

export function parseTime(raw: string): Date | null {
  const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  const time = date.getTime();
  return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : date;
}

export function problemOf(value: string): string | null {
  if (value.length > MAX_PARAM_CHARS) return `is longer than the limit of ${MAX_PARAM_CHARS} characters`;
  if (value.includes("\u0000")) return "contains a NUL character (\\u0000)";
  return null;
}

const oneOf = <T extends string>(values: readonly T[], raw: string | undefined, fallback: T): T | null =>
  raw === undefined ? fallback : values.includes(raw as T) ? (raw as T) : null;

/** Reads the list filters, order and cursor of DESIGN.md from a query string. */
export function parseListQuery(params: URLSearchParams): Checked<ListQuery> {
  for (const key of PARAMS) {
    const problem = problemOf(params.get(key) ?? "");
    if (problem) return invalid(key, problem);
  }
  const get = (key: string) => params.get(key) || undefined;
  const rawLimit = get("limit") ?? "50";
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 500) {
    return invalid("limit", `must be an integer from 1 to 500, got "${rawLimit}"`);
  }
  const status = get("status");
  if (status && !LIST_STATUSES.includes(status as never)) {
    return invalid("status", `must be one of ${LIST_STATUSES.join(", ")}`);
  }
  const sort = oneOf(TRACE_SORTS, get("sort"), "start_time");
  if (!sort) return invalid("sort", `must be one of ${TRACE_SORTS.join(", ")}, got "${get("sort")}"`);
  const order = oneOf(TRACE_ORDERS, get("order"), "desc");
  if (!order) return invalid("order", `must be asc or desc, got "${get("order")}"`);
  const hasErrors = get("has_errors");
  if (hasErrors && hasErrors !== "true" && hasErrors !== "false") return invalid("has_errors", `must be true or false, got "${hasErrors}"`);
  const query: ListQuery = {
    filter: {
      provider: get("provider"),
      model: get("model"),
      status,
      q: get("q"),
      ...(hasErrors && { hasErrors: hasErrors === "true" }),
    },
    project: get("project"),
    limit,
    order: { sort, order },
  };
  for (const key of ["since", "until"] as const) {
    const raw = get(key);
    if (!raw) continue;
    const time = parseTime(raw);
    if (!time) return invalid(key, `must be an ISO 8601 time or Unix seconds between the years 1 and 9999, got "${raw}"`);
    query.filter[key] = time;
  }
  const score = parseScoreFilter(get);
  if (!score.ok) return score;
  if (score.value) query.filter.score = score.value;
  const context = parseContextQuery(params);
  if (!context.ok) return context;
  Object.assign(query.filter, context.value);
  const cursor = get("cursor");
  if (cursor) {
    const after = decodeCursor(cursor, query.order);
    if (typeof after === "string") return invalid("cursor", after);
    query.order.after = after;
  }
  return valid(query);
}

/** score_name with score_min / score_max (numbers) or score_label; a bound without a name is refused. */
function parseScoreFilter(get: (key: string) => string | undefined): Checked<ScoreFilter | null> {
  const name = get("score_name");
  const [min, max, label] = [get("score_min"), get("score_max"), get("score_label")];
  if (!name) {
    const stray = min !== undefined ? "score_min" : max !== undefined ? "score_max" : label !== undefined ? "score_label" : null;
    return stray ? invalid(stray, "needs score_name (the score it bounds)") : valid(null);
  }
  if (label !== undefined && (min !== undefined || max !== undefined)) return invalid("score_label", "cannot be given with score_min or score_max");
  const filter: ScoreFilter = { name };
  for (const [key, raw] of [["score_min", min], ["score_max", max]] as const) {
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || raw.trim() === "") return invalid(key, `must be a number, got "${raw}"`);
    filter[key === "score_min" ? "min" : "max"] = n;
  }
  if (label !== undefined) filter.label = label;
  return valid(filter);
}
