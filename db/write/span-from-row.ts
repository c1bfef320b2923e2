import type { SpanRecord } from "./span-record.ts";

type Raw = Record<string, unknown>;

/** Drivers differ in how they hand back timestamps: Date, or Postgres' text. */
function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value !== "string") return null;
  return new Date(value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** A raw spans-table row (snake_case, as `returning *` gives it) as a SpanRecord. */
export function spanRecordFromRow(row: Raw): SpanRecord {
  return {
    id: row.id as string,
    spanId: row.span_id as string,
    traceId: row.trace_id as string,
    traceCreatedAt: toDate(row.trace_created_at),
    rootSpanId: row.root_span_id as string,
    projectId: row.project_id as string,
    spanParents: (row.span_parents as string[] | null) ?? null,
    name: (row.name as string | null) ?? null,
    type: (row.type as string | null) ?? null,
    status: row.status as SpanRecord["status"],
    input: row.input ?? null,
    output: row.output ?? null,
    metadata: (row.metadata as Record<string, unknown> | null) ?? null,
    metrics: (row.metrics as Record<string, unknown> | null) ?? null,
    error: row.error ?? null,
    userId: (row.user_id as string | null) ?? null,
    sessionId: (row.session_id as string | null) ?? null,
    tags: (row.tags as string[] | null) ?? null,
    provider: (row.provider as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    modelFamily: (row.model_family as string | null) ?? null,
    startTime: toDate(row.start_time),
    endTime: toDate(row.end_time),
    ttftMs: num(row.ttft_ms),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    totalTokens: num(row.total_tokens),
    cachedTokens: num(row.cached_tokens),
    costUsd: num(row.cost_usd),
  };
}
