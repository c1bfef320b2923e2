import { sql, type SQL } from "drizzle-orm";
import type { SpanRecord } from "./span-record.ts";
import type { TracePlace } from "./trace-creation.ts";

/**
 * The statement a write adds to its transaction so that the search indexer (db/write/search-indexer.ts)
 * indexes its spans: one row holding their keys, [trace id, span id, trace created_at] (the last
 * the partition key, so the indexer reads each span from its own day).
 */
export function recordSearchPending(records: SpanRecord[], placeOf: (traceId: string) => TracePlace): SQL {
  const keys = JSON.stringify(records.map((r) => [r.traceId, r.id, placeOf(r.traceId).createdAt]));
  return sql`insert into search_pending (keys) values (${keys}::jsonb)`;
}
