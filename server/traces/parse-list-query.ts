import type { TraceFilter } from "../../db/list-traces.ts";
import { SPAN_STATUSES } from "../../db/span-row.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";

export type ListQuery = { filter: Omit<TraceFilter, "projectId">; project?: string; limit: number; beforeSeq?: number };

export const encodeCursor = (seq: number) => Buffer.from(`s:${seq}`).toString("base64url");

// Every value here reaches a query as a bound parameter: what the database would refuse (a NUL,
// a time outside its range, a number past bigint) must be a 400 here, never its error.
const MAX_PARAM_CHARS = 1_024;
const PARAMS = ["limit", "status", "provider", "model", "q", "project", "since", "until", "cursor"] as const;
// Years 1 to 9999: what ISO 8601 writes without an expanded year, and inside Postgres' range.
const EARLIEST = new Date("0001-01-01T00:00:00Z").getTime();
const LATEST = new Date("9999-12-31T23:59:59.999Z").getTime();

function decodeCursor(cursor: string): number | null {
  const match = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : null;
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

/** Reads the list filters of DESIGN.md from a query string. */
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
  if (status && !SPAN_STATUSES.includes(status as never)) {
    return invalid("status", `must be one of ${SPAN_STATUSES.join(", ")}`);
  }
  const query: ListQuery = {
    filter: { provider: get("provider"), model: get("model"), status, q: get("q") },
    project: get("project"),
    limit,
  };
  for (const key of ["since", "until"] as const) {
    const raw = get(key);
    if (!raw) continue;
    const time = parseTime(raw);
    if (!time) return invalid(key, `must be an ISO 8601 time or Unix seconds between the years 1 and 9999, got "${raw}"`);
    query.filter[key] = time;
  }
  const cursor = get("cursor");
  if (cursor) {
    const seq = decodeCursor(cursor);
    if (seq === null) return invalid("cursor", "is not a cursor this server issued");
    query.beforeSeq = seq;
  }
  return valid(query);
}
