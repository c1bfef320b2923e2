import { t, type TSchema } from "elysia";
import { ContextInput, ContextListQuery, ContextOutput } from "./context-schemas.ts";

// The API's shapes as TypeBox schemas, for the OpenAPI document (GET /api/openapi.json). Request
// bodies are described here but checked by Kalmia's own validators (server/*/validate-*.ts), which
// answer per row with the field named (207/400); these schemas never reject anything themselves.

const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
const anyJson = (description: string) => t.Unknown({ description });

export const ErrorBody = t.Object(
  { error: t.Object({ message: t.String(), type: t.String({ description: "stable: invalid_request, unauthorized, not_found, overloaded, unavailable, …" }) }) },
  { description: "Every error: a 4xx/5xx status and this body" },
);

export const ItemError = t.Object({
  index: t.Integer({ description: "the item's place in the request" }),
  id: nullable(t.String()),
  path: t.String({ description: "the field at fault, e.g. rows[3].metrics.start" }),
  message: t.String(),
});

export const ItemAnswer = t.Object(
  {
    accepted: t.Integer({ description: "items stored (or journaled, when queued)" }),
    errors: t.Optional(t.Array(ItemError, { description: "items not taken, each with the field at fault (207)" })),
    queued: t.Optional(t.Boolean({ description: "true (202): not committed within 10 s, kept in the journal on disk and written once the database is back" })),
  },
  { description: "200 all stored; 202 queued in the journal; 207 some items named in errors were not" },
);

export const ItemRefusal = t.Composite([ErrorBody, t.Object({ errors: t.Array(ItemError) })], { description: "400: no item was valid or stored; each is named" });

const SpanMetrics = t.Object({
  start: t.Optional(nullable(t.Number({ description: "Unix seconds" }))),
  end: t.Optional(nullable(t.Number({ description: "Unix seconds" }))),
  time_to_first_token: t.Optional(nullable(t.Number({ description: "seconds" }))),
  prompt_tokens: t.Optional(nullable(t.Integer())),
  completion_tokens: t.Optional(nullable(t.Integer())),
  tokens: t.Optional(nullable(t.Integer())),
  prompt_cached_tokens: t.Optional(nullable(t.Integer())),
  cost_usd: t.Optional(nullable(t.Number())),
});

const SpanType = t.Union([t.Literal("llm"), t.Literal("tool"), t.Literal("task"), t.Literal("function")]);
const Status = t.Union([t.Literal("running"), t.Literal("ok"), t.Literal("error"), t.Literal("cancelled")]);

const ScoreMap = t.Record(t.String(), t.Union([t.Number(), t.Null()]), { description: "Braintrust's scores: a number per name, stored as scores with source ingest" });

export const SpanRow = t.Object(
  {
    id: t.String({ description: "the row id; rows with the same id merge" }),
    span_id: t.Optional(t.String({ description: "defaults to id" })),
    root_span_id: t.String({ description: "the trace: the span_id of the run's root span" }),
    trace_id: t.Optional(t.String()),
    span_parents: t.Optional(t.Array(t.String())),
    project_id: t.Optional(t.String({ description: "project name; overrides the body's project" })),
    span_attributes: t.Optional(t.Object({ name: t.Optional(t.String()), type: t.Optional(SpanType) })),
    name: t.Optional(t.String()),
    input: t.Optional(anyJson("any JSON; for llm spans the messages")),
    output: t.Optional(anyJson("any JSON; for llm spans the assistant message")),
    metadata: t.Optional(t.Record(t.String(), t.Unknown())),
    error: t.Optional(t.Union([t.String(), t.Record(t.String(), t.Unknown()), t.Null()])),
    scores: t.Optional(ScoreMap),
    metrics: t.Optional(SpanMetrics),
    status: t.Optional(Status),
    ...ContextInput,
  },
  { description: "A span row (docs/SPANS.md); limits in README \"Limits\"" },
);

export const SpanRows = t.Union([t.Object({ project: t.Optional(t.String()), rows: t.Array(SpanRow) }), t.Array(SpanRow)], {
  description: '{"project", "rows": [...]} or a bare array of rows (project "default")',
});

const IngestSpan = t.Composite([t.Omit(SpanRow, ["id", "root_span_id"]), t.Object({ id: t.String(), root_span_id: t.Optional(t.String()) })]);

export const IngestTrace = t.Object(
  {
    id: t.String(),
    project_id: t.Optional(t.String({ description: "the project's name" })),
    name: t.Optional(t.String()),
    input: t.Optional(anyJson("any JSON")),
    output: t.Optional(anyJson("any JSON")),
    metadata: t.Optional(t.Record(t.String(), t.Unknown())),
    error: t.Optional(t.Unknown()),
    spans: t.Optional(t.Array(IngestSpan)),
    scores: t.Optional(ScoreMap),
    ...ContextInput,
  },
  { description: "A Braintrust-style trace; re-sending one with the same id updates it" },
);

export const IngestBody = t.Union([IngestTrace, t.Array(IngestTrace)], { description: "one trace object or an array" });

export const Trace = t.Object({
  id: t.String(),
  project: t.String(),
  experiment_id: t.String(),
  name: nullable(t.String()),
  source: t.Union([t.Literal("sdk"), t.Literal("proxy"), t.Literal("ingest"), t.Literal("otel")]),
  provider: nullable(t.String()),
  model: nullable(t.String()),
  status: Status,
  input: anyJson("any JSON"),
  output: anyJson("any JSON"),
  metadata: t.Unknown(),
  error: t.Unknown(),
  ...ContextOutput,
  start_time: nullable(t.String({ format: "date-time" })),
  end_time: nullable(t.String({ format: "date-time" })),
  duration_ms: nullable(t.Number()),
  ttft_ms: nullable(t.Number()),
  prompt_tokens: nullable(t.Integer()),
  completion_tokens: nullable(t.Integer()),
  total_tokens: nullable(t.Integer()),
  cached_tokens: nullable(t.Integer()),
  cost_usd: nullable(t.Number()),
  span_count: t.Integer(),
  scores: t.Record(t.String(), t.Number(), { description: "the mean value of each score name on the trace or its spans" }),
  updated_at: nullable(t.String({ format: "date-time", description: "the last write; running with none for 10 minutes is stale" })),
});

export const Span = t.Object({
  id: t.String(),
  span_id: t.String(),
  trace_id: t.String(),
  root_span_id: t.String(),
  span_parents: t.Array(t.String()),
  name: nullable(t.String()),
  type: SpanType,
  input: t.Unknown(),
  output: t.Unknown(),
  metadata: t.Unknown(),
  error: t.Unknown(),
  status: Status,
  metrics: SpanMetrics,
});

export const TraceList = t.Object({
  traces: t.Array(Trace),
  next_cursor: nullable(t.String({ description: "pass as cursor for the next page" })),
  total: t.Optional(t.Integer({ description: "traces matching the filters" })),
});
const ScoreSource = t.Union([t.Literal("api"), t.Literal("sdk"), t.Literal("ingest"), t.Literal("ui")]);

export const Score = t.Object({
  id: t.String(),
  trace_id: t.String(),
  span_id: nullable(t.String()),
  name: t.String(),
  value: nullable(t.Number()),
  label: nullable(t.String()),
  comment: nullable(t.String()),
  source: ScoreSource,
  author: nullable(t.String()),
  metadata: t.Unknown(),
  created_at: t.String({ format: "date-time" }),
  updated_at: t.String({ format: "date-time" }),
});

export const TraceWithSpans = t.Composite([
  t.Omit(Trace, ["scores"]),
  t.Object({ spans: t.Array(Span), scores: t.Array(Score, { description: "every score of the trace and its spans" }) }),
]);

const ScoreItem = t.Object({
  id: t.Optional(t.String({ description: "the same id updates the score; made and returned when absent" })),
  trace_id: t.String(),
  span_id: t.Optional(t.String({ description: "a span of the trace; absent for the trace itself" })),
  project: t.Optional(t.String({ description: "project name, for a score sent before its trace (default: default); a score belongs to its trace's project once the trace is stored" })),
  name: t.String({ maxLength: 200 }),
  value: t.Optional(t.Number({ description: "a finite number; exactly one of value or label" })),
  label: t.Optional(t.String({ maxLength: 200 })),
  comment: t.Optional(t.String({ maxLength: 10_000 })),
  source: t.Optional(ScoreSource),
  author: t.Optional(t.String({ maxLength: 200 })),
  metadata: t.Optional(t.Record(t.String(), t.Unknown())),
});
export const ScoreBody = t.Union([ScoreItem, t.Array(ScoreItem)], { description: "one score or an array" });
export const ScoreAnswer = t.Composite([
  ItemAnswer,
  t.Object({
    id: t.Optional(nullable(t.String({ description: "the score's id (one score sent)" }))),
    ids: t.Optional(t.Array(nullable(t.String()), { description: "each score's id in request order, null where invalid (an array sent)" })),
  }),
]);
export const ScoreId = t.Object({ id: t.String({ description: "the score id" }) });
export const ScoreDeleted = t.Object({ deleted: t.String() });

export const TraceListQuery = t.Object({
  project: t.Optional(t.String({ description: "project name" })),
  provider: t.Optional(t.String()),
  model: t.Optional(t.String({ description: "a model or its family (gpt-4o finds gpt-4o-2024-08-06)" })),
  status: t.Optional(t.String({ description: "the root span's: running, ok, error, cancelled; or stale: running with no write for 10 minutes" })),
  has_errors: t.Optional(t.String()),
  q: t.Optional(t.String({ description: "text in any span's name/input/output/error, or an id prefix" })),
  since: t.Optional(t.String({ description: "ISO 8601 time" })),
  until: t.Optional(t.String({ description: "ISO 8601 time" })),
  sort: t.Optional(t.String({ description: "start_time, duration_ms, total_tokens, cost_usd" })),
  order: t.Optional(t.String({ description: "asc or desc" })),
  limit: t.Optional(t.String({ description: "default 50, max 500" })),
  cursor: t.Optional(t.String({ description: "next_cursor of the previous page" })),
  score_name: t.Optional(t.String({ description: "traces with a score of this name (on the trace or a span)" })),
  score_min: t.Optional(t.String({ description: "with score_name: value at least this" })),
  score_max: t.Optional(t.String({ description: "with score_name: value at most this" })),
  score_label: t.Optional(t.String({ description: "with score_name: this label" })),
  ...ContextListQuery,
});

export const TraceId = t.Object({ id: t.String({ description: "the trace id" }) });

export const LiveQuery = t.Object({
  project: t.Optional(t.String()),
  trace_id: t.Optional(t.String()),
  events: t.Optional(t.String({ description: "trace, span, or both comma-separated" })),
  last_event_id: t.Optional(t.String({ description: "resume after this event (or the Last-Event-ID header)" })),
});

export const Health = t.Object({
  ok: t.Boolean(),
  db: t.Union([t.Literal("pglite"), t.Literal("postgres")]),
  reason: t.Optional(t.String({ description: "why not ok: database_unreachable, writer_stalled, …" })),
  writer: t.Optional(t.Record(t.String(), t.Unknown(), { description: "the writer's counters: with a key, a session, or in keyless mode" })),
});

export const Session = t.Object({ auth_required: t.Optional(t.Boolean()), signed_in: t.Boolean() });
export const SignIn = t.Object({ api_key: t.String() });

export const Experiments = t.Object({ experiments: t.Array(t.Record(t.String(), t.Unknown())) });

/** Any body: a proxied provider call is the provider's own format, passed through untouched. */
export const ProviderBody = t.Record(t.String(), t.Unknown(), { description: "the provider's request, forwarded as it is" });

const StatsFigures = t.Object({
  traces: t.Integer({ description: "traces that started in the bucket" }),
  errors: t.Integer({ description: "of them, traces whose root failed" }),
  p50_ms: nullable(t.Number({ description: "trace duration percentiles; null without finished traces" })),
  p95_ms: nullable(t.Number()),
  p99_ms: nullable(t.Number()),
  ttft_p50_ms: nullable(t.Number({ description: "time to first token of the traces' llm spans" })),
  ttft_p95_ms: nullable(t.Number()),
  prompt_tokens: t.Integer(),
  completion_tokens: t.Integer(),
  cost_usd: t.Number(),
});
export const Stats = t.Object({
  bucket: t.String({ description: "the bucket size used: 1m, 5m, 15m, 1h, 3h, 6h, 12h or 1d" }),
  since: t.String({ description: "the window's start, widened to a bucket start" }),
  until: t.String({ description: "the window's end, widened to a bucket end" }),
  source: t.String({ description: "exact (from the traces) or rollups (per-minute, hourly and six-hour rollups, percentiles within 2%)" }),
  series: t.Array(
    t.Object({
      key: nullable(t.String({ description: "model family, provider or user; all when not grouped" })),
      totals: StatsFigures,
      points: t.Array(
        t.Composite([
          t.Object({
            t: t.String({ description: "bucket start, ISO 8601 UTC" }),
            extra: t.Optional(t.Record(t.String(), nullable(t.Number()), { description: "more per-bucket figures where the server computes them (e.g. score means)" })),
          }),
          StatsFigures,
        ]),
      ),
    }),
  ),
  totals: StatsFigures,
  running: t.Integer({ description: "the project's traces running now" }),
  stale: t.Integer({ description: "of them, those with no update for 10 minutes" }),
});
export const StatsQuery = t.Object({
  project: t.Optional(t.String({ description: "project name" })),
  since: t.Optional(t.String({ description: "ISO 8601 time; default: 24 h before until" })),
  until: t.Optional(t.String({ description: "ISO 8601 time; default: now" })),
  bucket: t.Optional(t.String({ description: "1m, 5m, 15m, 1h, 3h, 6h, 12h, 1d or auto (default: 60–200 points)" })),
  group_by: t.Optional(t.String({ description: "model (families), provider or user" })),
  source: t.Optional(t.String({ description: "exact or rollups; by default exact up to 2 h and for group_by=user, else rollups" })),
});
