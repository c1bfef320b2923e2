import { sql } from "drizzle-orm";
import { batchTransaction, type RunSql } from "./batch-transaction.ts";
import type { Db } from "./open.ts";
import { spanRecordFromRow } from "./span-from-row.ts";
import { spanUpsert } from "./span-upsert.ts";
import type { SpanRecord } from "./span-record.ts";
import { upsertTraceSummaries, type TraceUpsertRow } from "./trace-summary.ts";
import { logLiveEvent } from "./live-events.ts";

/** One trace row as the writer hands it over; its creation time is found here. */
export type TraceRecord = Omit<TraceUpsertRow, "createdAt">;

// Bounds one statement's size (~2 KB rows make ~4 MB); the rows go as one parameter.
const SPANS_PER_STATEMENT = 2_000;

/**
 * Locks the batch's trace ids (sorted by the caller, so two writers never
 * deadlock) for the rest of the transaction, and finds when the existing ones
 * were created: that time is their partition key, which a new row for the
 * same trace must repeat. The lock also orders two replicas' batches for one
 * trace. Each statement's text is the same for any batch, so its plan is reused.
 */
async function lockAndLocate(run: RunSql, sortedIds: string[]): Promise<Map<string, Date>> {
  const ids = JSON.stringify(sortedIds);
  await run(sql`select pg_advisory_xact_lock(hashtextextended(id, 0)) from jsonb_array_elements_text(${ids}::jsonb) as e(id)`);
  const rows = await run(sql`select id, (extract(epoch from created_at) * 1000)::float8 as created_ms from traces
    where id = any(array(select jsonb_array_elements_text(${ids}::jsonb)))`);
  return new Map(rows.map((r) => [r.id as string, new Date(Number(r.created_ms))]));
}

/**
 * Writes one batch in one transaction: the spans as multi-row upserts that
 * merge with what is stored, then the traces with their summaries, then (for
 * other replicas' live feeds) the change log. New traces are created at
 * `now` (whose day partition must exist).
 */
export async function writeBatch(
  db: Db,
  traceRecords: TraceRecord[],
  spanRecords: SpanRecord[],
  options: { returnSpans: boolean; logEvent?: boolean; now: Date },
): Promise<SpanRecord[]> {
  const sortedTraces = [...traceRecords].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const traceIds = sortedTraces.map((t) => t.id);
  return batchTransaction(db, async (run) => {
    const created = await lockAndLocate(run, traceIds);
    for (const t of sortedTraces) if (!created.has(t.id)) created.set(t.id, options.now);
    for (const span of spanRecords) span.traceCreatedAt = created.get(span.traceId)!;
    const written: SpanRecord[] = [];
    for (let i = 0; i < spanRecords.length; i += SPANS_PER_STATEMENT) {
      const chunk = spanRecords.slice(i, i + SPANS_PER_STATEMENT);
      const rows = await run(spanUpsert(chunk, options.returnSpans));
      if (options.returnSpans) written.push(...rows.map(spanRecordFromRow));
    }
    await upsertTraceSummaries(run, sortedTraces.map((t) => ({ ...t, createdAt: created.get(t.id)! })));
    if (options.logEvent) {
      await logLiveEvent(run, traceIds, spanRecords.map((s) => s.id));
    }
    return written;
  });
}
