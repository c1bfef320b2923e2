import type { spans, traces } from "../schema.ts";
import type { SpanRecord } from "../write/span-record.ts";

type TraceRow = typeof traces.$inferSelect;
type SpanRow = typeof spans.$inferSelect | SpanRecord;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const epoch = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : null);

/** A trace as the API lists it (DESIGN.md "Trace (as listed)"). */
export function traceView(row: TraceRow, project: string) {
  return {
    id: row.id,
    project,
    experiment_id: row.experimentId,
    name: row.name,
    source: row.source,
    provider: row.provider,
    model: row.model,
    model_family: row.modelFamily,
    status: row.status,
    error_count: row.errorCount,
    input: row.input,
    output: row.output,
    metadata: row.metadata,
    error: row.error,
    user_id: row.userId,
    session_id: row.sessionId,
    tags: row.tags ?? [],
    start_time: iso(row.startTime ?? row.createdAt),
    end_time: iso(row.endTime),
    duration_ms: row.durationMs,
    ttft_ms: row.ttftMs,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    total_tokens: row.totalTokens,
    cached_tokens: row.cachedTokens,
    cost_usd: row.costUsd,
    span_count: row.spanCount,
    /** The last write to the trace: a running trace not written for 10 minutes is stale (./stale.ts). */
    updated_at: iso(row.updatedAt),
  };
}

/** A span as the API returns it (DESIGN.md "Span"); metrics in Unix seconds. */
export function spanView(row: SpanRow) {
  return {
    id: row.id,
    span_id: row.spanId,
    trace_id: row.traceId,
    root_span_id: row.rootSpanId,
    span_parents: row.spanParents ?? [],
    name: row.name,
    type: row.type,
    input: row.input,
    output: row.output,
    metadata: row.metadata,
    error: row.error,
    status: row.status,
    model_family: row.modelFamily,
    metrics: {
      ...(row.metrics ?? {}),
      start: epoch(row.startTime),
      end: epoch(row.endTime),
      time_to_first_token: row.ttftMs === null ? null : row.ttftMs / 1000,
      prompt_tokens: row.promptTokens,
      completion_tokens: row.completionTokens,
      tokens: row.totalTokens,
      prompt_cached_tokens: row.cachedTokens,
      cost_usd: row.costUsd,
    },
  };
}

export type TraceView = ReturnType<typeof traceView>;
export type SpanView = ReturnType<typeof spanView>;
