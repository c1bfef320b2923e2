import type { ScoreMap } from "./score-row.ts";

/** A span row as the SDKs, the proxy and ingestion send it (docs/SPANS.md). */
export type SpanRowInput = {
  id: string;
  span_id?: string;
  root_span_id: string;
  /** The trace this span belongs to; defaults to root_span_id. Ingestion sets it. */
  trace_id?: string;
  span_parents?: string[] | null;
  project_id?: string;
  span_attributes?: { name?: string | null; type?: SpanType | null } | null;
  /** Braintrust's ingest rows carry the name here; span_attributes.name wins. */
  name?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown> | null;
  metrics?: SpanMetrics | null;
  error?: unknown;
  status?: SpanStatus | null;
  /** Braintrust's scores on the row, stored as scores of the span (db/write/score-row.ts). */
  scores?: ScoreMap | null;
  /** The trace's user, session and tags (db/write/trace-context.ts); also read from metadata. */
  user_id?: string | number | null;
  session_id?: string | number | null;
  tags?: string[] | null;
};

export type SpanMetrics = {
  start?: number | null;
  end?: number | null;
  time_to_first_token?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  tokens?: number | null;
  prompt_cached_tokens?: number | null;
  cost_usd?: number | null;
  [key: string]: unknown;
};

export const SPAN_TYPES = ["llm", "tool", "task", "function"] as const;
export type SpanType = (typeof SPAN_TYPES)[number];

export const SPAN_STATUSES = ["running", "ok", "error", "cancelled"] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];

export type TraceSource = "sdk" | "proxy" | "ingest" | "otel";

/** Trace-level fields that only ingestion carries (the span rows hold the rest). */
export type TraceFields = {
  id: string;
  name?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown> | null;
  error?: unknown;
  user_id?: unknown;
  session_id?: unknown;
  tags?: unknown;
  /** When the trace carries no start of its own in its spans (Unix seconds). */
  start?: number | null;
  /** Braintrust's scores on the trace, stored as scores of the trace. */
  scores?: ScoreMap | null;
};
