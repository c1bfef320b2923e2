/** Shapes served by the Kalmia API (DESIGN.md "Trace (as listed)" and "Span"). */
export type TraceStatus = "running" | "ok" | "error" | "cancelled";

/** Timestamps arrive as ISO strings; Unix seconds are accepted too. */
export type Instant = string | number | null;

export type TraceSummary = {
  id: string;
  project: string;
  experiment_id?: string | null;
  name: string | null;
  source?: "sdk" | "proxy" | "ingest" | "otel" | string;
  provider: string | null;
  model: string | null;
  /** The root span's status. */
  status: TraceStatus | string;
  /** Failed spans: steps that failed under a root that may still have delivered. */
  error_count?: number;
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown> | null;
  error?: unknown;
  /** Who, which conversation, which labels (null/empty from a server before them). */
  user_id?: string | null;
  session_id?: string | null;
  tags?: string[] | null;
  start_time: Instant;
  end_time?: Instant;
  duration_ms: number | null;
  ttft_ms?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens: number | null;
  cost_usd: number | null;
  span_count?: number | null;
  /** The mean value of each score name on the trace and its spans. */
  scores?: Record<string, number>;
  /** The last write; running with none for 10 minutes is stale. */
  updated_at?: Instant;
};

export type SpanMetrics = {
  start?: number | null;
  end?: number | null;
  time_to_first_token?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  tokens?: number | null;
  cost_usd?: number | null;
  [key: string]: unknown;
};

export type Span = {
  id: string;
  span_id: string;
  trace_id: string;
  root_span_id: string;
  span_parents?: string[] | null;
  name: string | null;
  type: "llm" | "tool" | "task" | "function" | string | null;
  input?: unknown;
  output?: unknown;
  metadata?: Record<string, unknown> | null;
  error?: unknown;
  metrics?: SpanMetrics | null;
  status?: TraceStatus | string | null;
};

/** A score or feedback on a trace or one of its spans (docs/SCORES.md). */
export type Score = {
  id: string;
  trace_id: string;
  span_id: string | null;
  name: string;
  value: number | null;
  label: string | null;
  comment: string | null;
  source: "api" | "sdk" | "ingest" | "ui" | string;
  author: string | null;
  metadata?: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
};

export type TraceDetail = { trace: TraceSummary; spans: Span[]; scores: Score[] };

export type Experiment = {
  id: string;
  name: string;
  project: string;
  trace_count: number;
  last_activity: Instant;
  error_rate: number | null;
  total_tokens: number | null;
  cost_usd: number | null;
};

export type TraceSort = "start_time" | "duration_ms" | "total_tokens" | "cost_usd";
export type SortOrder = "asc" | "desc";

/** What the list asks for: its filters and its order, all kept in the page's URL. */
export type TraceFilters = {
  project?: string;
  provider?: string;
  model?: string;
  status?: string;
  has_errors?: string;
  q?: string;
  /** Start times from and to (ISO 8601): the list's range picker, or an overview bucket opening the list. */
  since?: string;
  until?: string;
  sort?: TraceSort;
  order?: SortOrder;
  /** Traces with a score of this name, its value within score_min..score_max. */
  score_name?: string;
  score_min?: string;
  score_max?: string;
  score_label?: string;
} & ContextFilters;

/** The list's filters on who, which conversation, which labels and which metadata (URL: user, session, tag, metadata.KEY). */
export type ContextFilters = {
  user?: string;
  session?: string;
  /** Every one must be on the trace. */
  tag?: string[];
  /** metadata.KEY=VALUE, by key. */
  metadata?: Record<string, string>;
};

/** `total`: every trace matching the filters, however many pages they take. */
export type TracePage = { traces: TraceSummary[]; next_cursor: string | null; total?: number; total_is_estimate?: boolean };

/** GET /api/v1/facets: the values present in a window, with their counts. */
export type Facet = { value: string; count: number };
export type Facets = { providers: Facet[]; models: Facet[]; users: Facet[]; tags: Facet[]; metadata_keys: Facet[]; scores: Facet[] };

/** GET /api/v1/sessions: the traces that share a session id, summed. */
export type SessionSummary = {
  id: string;
  project: string;
  user_id: string | null;
  trace_count: number;
  first_start: Instant;
  last_end: Instant;
  total_tokens: number | null;
  cost_usd: number | null;
  errors: number;
};
export type SessionPage = { sessions: SessionSummary[]; next_cursor: string | null };
export type SessionDetail = SessionSummary & { traces: TraceSummary[] };

/** GET /api/v1/users: per user. */
export type UserSummary = { id: string; trace_count: number; total_tokens: number | null; cost_usd: number | null; last_seen: Instant };
export type UserSort = "last_seen" | "cost_usd" | "trace_count" | "total_tokens";
