import { sql, type SQL } from "drizzle-orm";
import type { Row } from "./batch-transaction.ts";
import { partitionOf } from "../connect/partitions.ts";

/**
 * When each of the batch's stored traces was first stored (ids: a jsonb array): the partition key
 * of a trace and of its spans, which new rows for a stored trace must repeat. `created_at` comes
 * back in ISO 8601 with its offset whatever the session's DateStyle (its text form, in some styles,
 * is the same for the two instants of a DST fold), so it goes back in exactly, microseconds
 * included; `ms` says which day partition holds it.
 */
export function lookUpTraceCreation(ids: string): SQL {
  return sql`select id, to_jsonb(created_at) #>> '{}' as created_at, extract(epoch from created_at)::float8 * 1000 as ms
    from traces where id = any(array(select jsonb_array_elements_text(${ids}::jsonb)))`;
}

/** Where a trace's rows go: its creation time, and the day partitions of traces and spans holding it. */
export type TracePlace = { createdAt: string; traces: string; spans: string; rollups: string };

/** Places for the looked-up traces; any other trace is new and is created at `now`. */
export function tracePlaces(lookedUp: Row[], now: Date): (traceId: string) => TracePlace {
  const place = (createdAt: string, ms: number): TracePlace => ({
    createdAt, traces: partitionOf("traces", ms), spans: partitionOf("spans", ms), rollups: partitionOf("trace_rollups", ms),
  });
  const stored = new Map(lookedUp.map((r) => [String(r.id), place(String(r.created_at), Number(r.ms))]));
  const fresh = place(now.toISOString(), now.getTime());
  return (traceId) => stored.get(traceId) ?? fresh;
}

/** `items` grouped by the day partitions their traces' rows go to, each group with its place. */
export function byPlace<T>(items: T[], traceIdOf: (item: T) => string, placeOf: (traceId: string) => TracePlace): [TracePlace, T[]][] {
  const groups = new Map<string, [TracePlace, T[]]>();
  for (const item of items) {
    const place = placeOf(traceIdOf(item));
    const group = groups.get(place.traces);
    if (group) group[1].push(item);
    else groups.set(place.traces, [place, [item]]);
  }
  return [...groups.values()];
}
