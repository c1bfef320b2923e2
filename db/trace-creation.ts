import { sql, type SQL } from "drizzle-orm";

/**
 * The transaction-local setting through which a batch's statements share one
 * lookup of when its traces were first stored: the partition key of a trace
 * and of its spans, which new rows for a stored trace must repeat.
 */
const CREATED_SETTING = "kalmia.trace_created";

/** Records, once per batch, when each of its stored traces was created (ids: a jsonb array). */
export function lookUpTraceCreation(ids: string): SQL {
  return sql`select set_config(${CREATED_SETTING}, coalesce((select jsonb_object_agg(id, created_at)::text from traces
    where id = any(array(select jsonb_array_elements_text(${ids}::jsonb)))), '{}'), true)`;
}

/** When the trace `id` was first stored, as looked up for this batch, or `now` if it is new. */
export function traceCreatedAt(id: SQL, now: string): SQL {
  return sql`coalesce(((select nullif(current_setting(${CREATED_SETTING}, true), '')::jsonb) ->> ${id})::timestamptz, ${now}::timestamptz)`;
}
