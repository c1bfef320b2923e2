import type { TraceFilter } from "../../db/list-traces.ts";
import { SPAN_STATUSES } from "../../db/span-row.ts";
import { invalid, valid, type Checked } from "../http/checked.ts";

export type ListQuery = { filter: Omit<TraceFilter, "projectId">; project?: string; limit: number; beforeSeq?: number };

export const encodeCursor = (seq: number) => Buffer.from(`s:${seq}`).toString("base64url");

function decodeCursor(cursor: string): number | null {
  const match = /^s:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : null;
}

function parseTime(raw: string): Date | null {
  const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads the list filters of DESIGN.md from a query string. */
export function parseListQuery(params: URLSearchParams): Checked<ListQuery> {
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
    if (!time) return invalid(key, `must be an ISO 8601 time or Unix seconds, got "${raw}"`);
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
