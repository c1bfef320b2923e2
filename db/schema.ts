import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

const bigintNumber = (name: string) => bigint(name, { mode: "number" });

/**
 * Timing and usage, kept per span and summed per trace. A span's counts are bounded by validation
 * (db/write/row-bounds.ts), so int; a trace's are sums of any number of spans, so bigint.
 */
const usageColumns = (count: typeof integer | typeof bigintNumber) => ({
  ttftMs: doublePrecision("ttft_ms"),
  promptTokens: count("prompt_tokens"),
  completionTokens: count("completion_tokens"),
  totalTokens: count("total_tokens"),
  cachedTokens: count("cached_tokens"),
  costUsd: doublePrecision("cost_usd"),
});

/** Who a trace is for, its conversation and its labels (db/write/trace-context.ts), on traces and spans. */
const contextColumns = () => ({
  userId: text("user_id"),
  sessionId: text("session_id"),
  tags: text("tags").array(),
});

export const projects = pgTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

// One experiment per project: the unique project_id is what makes concurrent
// first sightings (from any number of replicas) agree on a single row.
export const experiments = pgTable("experiments", {
  id: text("id").primaryKey(),
  projectId: text("project_id")
    .notNull()
    .unique()
    .references(() => projects.id),
  name: text("name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

// Insertion order: the stable keyset for paging. start_time can move as late
// spans arrive, so it would skip or repeat rows under a cursor. A plain
// sequence, since Postgres 15 has no identity columns on partitioned tables.
export const traceSeq = pgSequence("traces_seq");

// traces and spans are partitioned by day (db/connect/partitions.ts): a trace by the
// time it was first seen, its spans by that same time, so that retention
// drops whole traces by dropping partitions. The partitioning itself is in
// the hand-edited migration 0000; drizzle-kit does not model it.
export const traces = pgTable(
  "traces",
  {
    id: text("id").notNull(),
    seq: bigint("seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('traces_seq')`),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    experimentId: text("experiment_id")
      .notNull()
      .references(() => experiments.id),
    name: text("name"),
    source: text("source").notNull(),
    provider: text("provider"),
    model: text("model"),
    /** The model's family (gpt-4o-2024-08-06 → gpt-4o): what `model=` and the facets match. */
    modelFamily: text("model_family"),
    /** The root span's status; failed steps under an ok root show in error_count. */
    status: text("status").notNull().default("running"),
    /** Failed spans of the trace. */
    errorCount: integer("error_count").notNull().default(0),
    input: jsonb("input"),
    output: jsonb("output"),
    metadata: jsonb("metadata"),
    error: jsonb("error"),
    ...contextColumns(),
    startTime: ts("start_time"),
    endTime: ts("end_time"),
    durationMs: doublePrecision("duration_ms"),
    ...usageColumns(bigintNumber),
    spanCount: integer("span_count").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.createdAt] }),
    // The export's order (db/query/export-page.ts): insertion order, within a project or across all.
    // A provider filter walks the project's (a provider is a large share of a project's traces).
    index("traces_project_seq").on(t.projectId, t.seq),
    index("traces_by_seq").on(t.seq),
    // The list's orders (db/query/list-traces.ts), each with the id that breaks its ties, as its keyset
    // pages it. start_time is never null (a trace without times starts when it was first seen),
    // so one index serves both directions; the others serve the usual "largest first".
    index("traces_start_id").on(t.startTime, t.id),
    // Migrations 0003 and 0009 add INCLUDE (status, error_count, provider, model, model_family) by hand, for index-only counts.
    index("traces_project_start_id").on(t.projectId, t.startTime, t.id),
    index("traces_project_cost").on(t.projectId, t.costUsd.desc().nullsLast(), t.id.desc()),
    index("traces_project_duration").on(t.projectId, t.durationMs.desc().nullsLast(), t.id.desc()),
    index("traces_project_tokens").on(t.projectId, t.totalTokens.desc().nullsLast(), t.id.desc()),
    // Failed traces are few: their own small indexes serve status=error and has_errors (list and
    // count) without reading every trace of a project. The predicates are the list's, word for word.
    index("traces_project_root_failed").on(t.projectId, t.startTime, t.id).where(sql`status = 'error'`),
    index("traces_project_any_failed").on(t.projectId, t.startTime, t.id).where(sql`(error_count > 0 or status = 'error')`),
    // `q` as an id prefix: a LIKE 'abc%' under a non-C collation needs the pattern operators.
    index("traces_id_prefix").on(t.id.op("text_pattern_ops")),
    index("traces_project_family").on(t.projectId, t.modelFamily),
    // Who, which conversation, which labels and which metadata (db/query/context-filter.ts): the
    // list's user=, session=, tag= and metadata.KEY= filters, the sessions and users views.
    index("traces_project_user_start").on(t.projectId, t.userId, t.startTime),
    index("traces_project_session_start").on(t.projectId, t.sessionId, t.startTime),
    index("traces_tags").using("gin", t.tags),
    index("traces_metadata").using("gin", t.metadata.op("jsonb_path_ops")),
    // What the start-up backfill (db/write/reprice-stored.ts) has yet to do: empty once it is done.
    index("traces_family_unset").on(t.id).where(sql`model is not null and model_family is null`),
    // The overview's "running now" and "stale" counts (db/query/stats.ts): few traces run at once.
    index("traces_running").on(t.projectId, t.updatedAt).where(sql`status = 'running'`),
  ],
);

export const spans = pgTable(
  "spans",
  {
    id: text("id").notNull(),
    spanId: text("span_id").notNull(),
    traceId: text("trace_id").notNull(),
    /** The trace's created_at: the partition key, shared by all of a trace's spans. */
    traceCreatedAt: ts("trace_created_at").notNull(),
    rootSpanId: text("root_span_id").notNull(),
    projectId: text("project_id").notNull(),
    spanParents: jsonb("span_parents").$type<string[]>(),
    name: text("name"),
    type: text("type"),
    status: text("status"),
    input: jsonb("input"),
    output: jsonb("output"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    metrics: jsonb("metrics").$type<Record<string, unknown>>(),
    error: jsonb("error"),
    // What the span says of its trace's user, session and tags: the trace takes its root's, or the first span's.
    ...contextColumns(),
    provider: text("provider"),
    model: text("model"),
    modelFamily: text("model_family"),
    startTime: ts("start_time"),
    endTime: ts("end_time"),
    ...usageColumns(integer),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  // A span is its id within its trace: many traces may use one span id (the README's "span-1").
  // Text search (`q`) reads span_search below, not this table: its index is kept off the write path.
  (t) => [
    primaryKey({ columns: [t.traceId, t.id, t.traceCreatedAt] }),
    index("spans_trace").on(t.traceId, t.startTime),
    // What the start-up backfill (db/write/reprice-stored.ts) has yet to price: empty once it is done.
    index("spans_family_unset").on(t.traceId).where(sql`model is not null and model_family is null`),
  ],
);

// Scores and feedback on a trace or one of its spans (docs/SCORES.md): a number (`value`) or a
// label, from the API, an SDK, ingested rows or the dashboard. Not partitioned and not keyed to the
// trace: a score may arrive before its trace, so retention (db/connect/partitions.ts) deletes a
// dropped day's scores by trace id instead of dropping them with a partition. A score's project is
// its trace's (the writer keeps it so, db/write/score-upsert.ts), so the list's score filter reads a
// project's scores alone.
export const scores = pgTable(
  "scores",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    traceId: text("trace_id").notNull(),
    spanId: text("span_id"),
    name: text("name").notNull(),
    value: doublePrecision("value"),
    label: text("label"),
    comment: text("comment"),
    source: text("source").notNull(),
    author: text("author"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    /**
     * Its trace is not stored yet (the score came first): set by the writer's upsert, cleared as the
     * trace is created (db/write/score-upsert.ts).
     */
    beforeTrace: boolean("before_trace").notNull().default(false),
    /**
     * Another score of its trace has (or had) its name: set by the writer (db/write/score-upsert.ts),
     * never cleared. With before_trace, what lets a list count the traces its score filter matches by
     * counting scores (db/query/scores.ts countScoredTraces): any other score is its trace's only match.
     */
    sharesName: boolean("shares_name").notNull().default(false),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // The scores counted apart by the score-filtered count (db/query/scores.ts countScoredTraces): few.
    index("scores_counted_apart").on(t.name, t.value, t.traceId, t.projectId).where(sql`before_trace or shares_name`),
    // A trace's scores (the trace page, the list's means) and the list's score filter, whose probe
    // per trace then reads the index alone.
    index("scores_trace_name").on(t.traceId, t.name, t.value),
    // A project's names (facets, the list's columns) and means over time (db/query/score-means.ts).
    index("scores_project_name_time").on(t.projectId, t.name, t.createdAt),
    // The list's score filter (db/query/scores.ts scoreCondition): the traces with a score of a name in
    // a range, in a project or in all, read from the index alone; the count then needs no probe per trace.
    index("scores_project_name_value").on(t.projectId, t.name, t.value, t.traceId),
    index("scores_name_value").on(t.name, t.value, t.traceId),
  ],
);

// The search text of each span (span_search_text of migration 0003), for `q` (db/query/span-search.ts),
// with a trigram index made by hand in migration 0005 (drizzle-kit does not model it). Kept by the
// search indexer (db/write/search-indexer.ts) behind the writes, not in them: maintaining a trigram index
// inside every write cut ingest to a third. Partitioned by day like spans (db/connect/partitions.ts), so
// retention drops a day's search text with its spans.
export const spanSearch = pgTable(
  "span_search",
  {
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(),
    traceCreatedAt: ts("trace_created_at").notNull(),
    projectId: text("project_id").notNull(),
    text: text("text").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.spanId, t.traceCreatedAt] })],
);

// Which spans each write changed and the indexer has yet to index: one row per write transaction,
// its spans' keys as [[trace_id, span id, trace_created_at], ...] (one small row, not a row per span,
// so recording it costs a write next to nothing).
export const searchPending = pgTable("search_pending", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  keys: jsonb("keys").$type<[string, string, string][]>().notNull(),
});

// What each commit changed, for the live feeds of every replica: a NOTIFY in
// the same transaction wakes them, and they read this log in id order, so a
// replica whose LISTEN connection dropped catches up instead of missing events.
export const liveEvents = pgTable("live_events", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  traceIds: jsonb("trace_ids").$type<string[]>().notNull(),
  spanIds: jsonb("span_ids").$type<string[]>().notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

// The live log's counter. A sequence would hand out ids in the order
// transactions start, so a reader could see id 7 committed while 6 is still
// in flight; this row is taken last in the writing transaction and held
// until its commit, so ids become visible strictly in order, without holes.
export const liveEventCounter = pgTable("live_event_counter", {
  id: integer("id").primaryKey(),
  last: bigint("last", { mode: "number" }).notNull(),
});

// Dashboard sessions ended by sign-out before they expired (server/auth/api-keys.ts): every
// replica checks a session cookie against this table. Rows past expires_at are deleted.
export const revokedSessions = pgTable("revoked_sessions", {
  id: text("id").primaryKey(),
  expiresAt: ts("expires_at").notNull(),
});

// The overview's rollups (GET /api/v1/stats, db/query/stats.ts), kept by the writer in the batch's
// transaction (db/write/rollups.ts): for each project, grain (`minutes`: 1, 60 or 360) start, model family and
// provider, one row with the traces that started then, their root failures, tokens and cost, and their
// durations and TTFTs as histograms ({latency_bin: count}, bins under 2% wide from latency_bin()), so
// that rows of any window merge into one histogram (p50/p95/p99 within 2% of the exact value). Three
// grains so that a long window reads hours or six hours, not minutes. A trace that changes takes its old
// contribution back and adds its new one. Partitioned by the day its traces were created (as spans are,
// db/connect/partitions.ts), so retention drops a day's rollups with its traces; made by hand in
// migration 0008 (drizzle-kit does not model partitions), with latency_bin() and hist_add() beside it.
export const traceRollups = pgTable(
  "trace_rollups",
  {
    projectId: text("project_id").notNull(),
    /** The grain in minutes: 1, 60 or 360 (db/write/rollups.ts, ROLLUP_GRAINS). */
    minutes: smallint("minutes").notNull(),
    start: ts("start").notNull(),
    /** '' for none: a key column cannot be null. */
    modelFamily: text("model_family").notNull(),
    provider: text("provider").notNull(),
    /** The day of its traces' created_at: the partition key. */
    createdDay: ts("created_day").notNull(),
    traces: integer("traces").notNull(),
    errors: integer("errors").notNull(),
    promptTokens: bigintNumber("prompt_tokens").notNull(),
    completionTokens: bigintNumber("completion_tokens").notNull(),
    costUsd: doublePrecision("cost_usd").notNull(),
    /** Traces with a duration by its latency bin; those still running are counted in `traces` only. */
    durations: jsonb("durations").notNull(),
    ttfts: jsonb("ttfts").notNull(),
  },
  (t) => [primaryKey({ name: "trace_rollups_pk", columns: [t.projectId, t.minutes, t.start, t.modelFamily, t.provider, t.createdDay] })],
);
