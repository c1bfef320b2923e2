import { sql } from "drizzle-orm";
import { chunkForParams } from "./chunk.ts";
import type { Db } from "./open.ts";
import { traces } from "./schema.ts";
import { spanRecordFromRow } from "./span-from-row.ts";
import { spanUpsert } from "./span-upsert.ts";
import type { SpanRecord } from "./span-record.ts";
import type { TraceSource } from "./span-row.ts";
import { inList, refreshTraceSummaries } from "./trace-summary.ts";
import { logLiveEvent } from "./live-events.ts";

/** One trace row as the writer upserts it; trace-level fields only from ingestion. */
export type TraceRecord = {
  id: string;
  projectId: string;
  experimentId: string;
  source: TraceSource;
  name: string | null;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown> | null;
  error: unknown;
  /** Only for a new row: spans, once there, decide these. */
  provider: string | null;
  model: string | null;
  status: "running" | "ok" | "error";
  startTime: Date | null;
};

// Bounds one statement's size (~2 KB rows make ~4 MB); the rows go as one parameter.
const SPANS_PER_STATEMENT = 2_000;

/** postgres.js answers with an array of rows, PGlite with { rows }. */
async function rowsOf(result: Promise<unknown>): Promise<Record<string, unknown>[]> {
  const value = (await result) as Record<string, unknown>[] | { rows: Record<string, unknown>[] };
  return Array.isArray(value) ? value : value.rows;
}

/** Upsert assignments where a later non-null value wins over the stored one. */
function keepNewer(table: "spans" | "traces", columns: string[]) {
  return Object.fromEntries(
    columns.map((c) => [camel(c), sql.raw(`coalesce(excluded.${c}, ${table}.${c})`)]),
  );
}

function camel(column: string) {
  return column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

/**
 * Locks the batch's trace ids (sorted, so two writers never deadlock) for the
 * rest of the transaction, and finds when the existing ones were created:
 * that time is their partition key, which a new row for the same trace must
 * repeat. The lock also orders two replicas' batches for one trace.
 */
async function lockAndLocate(tx: Db, ids: string[]): Promise<Map<string, Date>> {
  const list = inList(ids);
  const values = sql.join(ids.map((id) => sql`(${id})`), sql`, `);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(id, 0))
    from (select id from (values ${values}) v(id) order by id) sorted`);
  const rows = await tx.select({ id: traces.id, createdAt: traces.createdAt }).from(traces).where(sql`${traces.id} in ${list}`);
  return new Map(rows.map((r) => [r.id, r.createdAt]));
}

/**
 * Writes one batch in one transaction: trace rows first, then the spans as
 * multi-row upserts that merge with what is stored, then the trace summaries.
 * New traces are created at `now` (whose day partition must exist).
 */
export async function writeBatch(
  db: Db,
  traceRecords: TraceRecord[],
  spanRecords: SpanRecord[],
  options: { returnSpans: boolean; logEvent?: boolean; now: Date },
): Promise<SpanRecord[]> {
  const sortedTraces = [...traceRecords].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const traceIds = sortedTraces.map((t) => t.id);
  return db.transaction(async (tx) => {
    const created = await lockAndLocate(tx as unknown as Db, traceIds);
    for (const t of sortedTraces) if (!created.has(t.id)) created.set(t.id, options.now);
    const rows = sortedTraces.map((t) => ({ ...t, createdAt: created.get(t.id)! }));
    for (const chunk of chunkForParams(rows)) {
      await tx
        .insert(traces)
        .values(chunk)
        .onConflictDoUpdate({
          target: [traces.id, traces.createdAt],
          set: { ...keepNewer("traces", ["name", "input", "output", "metadata", "error"]), updatedAt: sql`now()` },
        });
    }
    for (const span of spanRecords) span.traceCreatedAt = created.get(span.traceId)!;
    const written: SpanRecord[] = [];
    for (let i = 0; i < spanRecords.length; i += SPANS_PER_STATEMENT) {
      const chunk = spanRecords.slice(i, i + SPANS_PER_STATEMENT);
      const rows = await rowsOf(tx.execute(spanUpsert(chunk, options.returnSpans)));
      if (options.returnSpans) written.push(...rows.map(spanRecordFromRow));
    }
    await refreshTraceSummaries(tx as unknown as Db, traceIds, [...new Set(created.values())]);
    if (options.logEvent) {
      await logLiveEvent(tx as unknown as Db, traceIds, spanRecords.map((s) => s.id));
    }
    return written;
  });
}
