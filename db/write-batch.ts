import { sql } from "drizzle-orm";
import { chunkForParams } from "./chunk.ts";
import type { Db } from "./open.ts";
import { spans, traces } from "./schema.ts";
import type { SpanRecord } from "./span-record.ts";
import type { TraceSource } from "./span-row.ts";
import { refreshTraceSummaries } from "./trace-summary.ts";

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
  /** Only for a new row: spans, once there, decide the status. */
  status: "running" | "ok" | "error";
  startTime: Date | null;
};

/** Upsert assignments where a later non-null value wins over the stored one. */
function keepNewer(table: "spans" | "traces", columns: string[]) {
  return Object.fromEntries(
    columns.map((c) => [camel(c), sql.raw(`coalesce(excluded.${c}, ${table}.${c})`)]),
  );
}

function camel(column: string) {
  return column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

const SPAN_COLUMNS = [
  "span_id", "trace_id", "root_span_id", "span_parents", "name", "type", "input", "output",
  "error", "provider", "model", "start_time", "end_time", "ttft_ms", "prompt_tokens",
  "completion_tokens", "total_tokens", "cached_tokens", "cost_usd",
];

/**
 * Writes one batch in one transaction: trace rows first (sorted, so two
 * writers lock them in the same order), then the spans as multi-row upserts
 * that merge with what is stored, then the trace summaries.
 */
export async function writeBatch(
  db: Db,
  traceRecords: TraceRecord[],
  spanRecords: SpanRecord[],
  options: { returnSpans: boolean },
): Promise<SpanRecord[]> {
  const sortedTraces = [...traceRecords].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return db.transaction(async (tx) => {
    for (const chunk of chunkForParams(sortedTraces)) {
      await tx
        .insert(traces)
        .values(chunk)
        .onConflictDoUpdate({
          target: traces.id,
          set: { ...keepNewer("traces", ["name", "input", "output", "metadata", "error"]), updatedAt: sql`now()` },
        });
    }
    const written: SpanRecord[] = [];
    for (const chunk of chunkForParams(spanRecords)) {
      const query = tx
        .insert(spans)
        .values(chunk)
        .onConflictDoUpdate({
          target: spans.id,
          set: {
            ...keepNewer("spans", SPAN_COLUMNS),
            metadata: sql`case when excluded.metadata is null then spans.metadata
              else coalesce(spans.metadata, '{}'::jsonb) || excluded.metadata end`,
            metrics: sql`case when excluded.metrics is null then spans.metrics
              else coalesce(spans.metrics, '{}'::jsonb) || excluded.metrics end`,
            // An end never un-ends: a late "running" row keeps the final status.
            status: sql`case when excluded.status = 'running' then coalesce(spans.status, 'running')
              else excluded.status end`,
            updatedAt: sql`now()`,
          },
        });
      if (options.returnSpans) written.push(...((await query.returning()) as SpanRecord[]));
      else await query;
    }
    await refreshTraceSummaries(
      tx as unknown as Db,
      sortedTraces.map((t) => t.id),
    );
    return written;
  });
}
