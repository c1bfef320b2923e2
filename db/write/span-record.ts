import type { SpanRowInput, SpanStatus } from "./span-row.ts";
import { readContext } from "./trace-context.ts";

/** A span as one row of the spans table, ready for a multi-row upsert. */
export type SpanRecord = {
  id: string;
  spanId: string;
  traceId: string;
  /** The partition key: the trace's creation time, as stored (null until written). */
  traceCreatedAt: Date | null;
  rootSpanId: string;
  projectId: string;
  spanParents: string[] | null;
  name: string | null;
  type: string | null;
  status: SpanStatus;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  error: unknown;
  /** The row's user, session and tags (db/write/trace-context.ts): its own fields or its metadata's. */
  userId: string | null;
  sessionId: string | null;
  tags: string[] | null;
  provider: string | null;
  model: string | null;
  /** The model's family (gpt-4o-2024-08-06 → gpt-4o), set by pricing (db/write/span-pricing.ts). */
  modelFamily: string | null;
  startTime: Date | null;
  endTime: Date | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  cachedTokens: number | null;
  costUsd: number | null;
};

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const seconds = (value: unknown) => (typeof value === "number" ? new Date(value * 1000) : null);
const int = (value: unknown) => (typeof value === "number" ? Math.round(value) : null);
// What an int column holds: a total computed from two bounded counts may pass it.
const MAX_INT = 2 ** 31 - 1;
const str = (value: unknown) => (typeof value === "string" && value ? value : null);

function deriveStatus(row: SpanRowInput): SpanStatus {
  if (row.status) return row.status;
  if (row.error !== undefined && row.error !== null) return "error";
  if (typeof row.metrics?.end === "number") return "ok";
  return "running";
}

export function toSpanRecord(row: SpanRowInput, projectId: string): SpanRecord {
  const m = row.metrics ?? {};
  const meta = row.metadata ?? null;
  const prompt = int(m.prompt_tokens);
  const completion = int(m.completion_tokens);
  const total = int(m.tokens) ?? (prompt !== null || completion !== null ? Math.min(MAX_INT, (prompt ?? 0) + (completion ?? 0)) : null);
  const record: SpanRecord = {
    id: row.id,
    spanId: row.span_id ?? row.id,
    traceId: row.trace_id ?? row.root_span_id,
    traceCreatedAt: null,
    rootSpanId: row.root_span_id,
    projectId,
    spanParents: orNull(row.span_parents) ?? null,
    name: str(row.span_attributes?.name) ?? str(row.name),
    type: str(row.span_attributes?.type),
    status: deriveStatus(row),
    input: orNull(row.input),
    output: orNull(row.output),
    metadata: meta,
    metrics: row.metrics ? { ...row.metrics } : null,
    error: orNull(row.error),
    ...readContext(row),
    provider: str(meta?.provider),
    model: str(meta?.model),
    modelFamily: null,
    startTime: seconds(m.start),
    endTime: seconds(m.end),
    ttftMs: typeof m.time_to_first_token === "number" ? m.time_to_first_token * 1000 : null,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: total,
    cachedTokens: int(m.prompt_cached_tokens),
    // Priced once the span's rows have merged (db/write/span-pricing.ts); a cost the row gives stays.
    costUsd: typeof m.cost_usd === "number" ? m.cost_usd : null,
  };
  return record;
}

/** A later status wins unless it only says "running": an end never un-ends. */
export function mergeStatus(before: SpanStatus, after: SpanStatus): SpanStatus {
  return after === "running" ? before : after;
}

const MERGED_OBJECTS = ["metadata", "metrics"] as const;

/**
 * Folds a later row for the same span into an earlier one, the same way the
 * database upsert does: later non-null fields win, objects merge by key.
 */
export function mergeSpanRecords(before: SpanRecord, after: SpanRecord): SpanRecord {
  const merged: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(after)) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  for (const key of MERGED_OBJECTS) {
    if (before[key] && after[key]) merged[key] = { ...before[key], ...after[key] };
  }
  merged.status = mergeStatus(before.status, after.status);
  const span = merged as SpanRecord;
  if (span.startTime && span.endTime && span.endTime < span.startTime) {
    span.endTime = span.startTime;
    span.metadata = { ...span.metadata, kalmia_warnings: [END_BEFORE_START] };
  }
  return span;
}

/** What a span's metadata says when its rows put its end before its start (db/write/span-upsert.ts too). */
export const END_BEFORE_START = "metrics.end was before metrics.start (sent in different rows); the end was set to the start";
