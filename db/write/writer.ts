import { sql } from "drizzle-orm";
import { clampWrite } from "./clamp-write.ts";
import { readContext } from "./trace-context.ts";
import { classifyError, describeError, faultOf } from "./error-kind.ts";
import type { Db } from "../connect/open.ts";
import type { ProjectCache } from "./projects.ts";
import type { Pricing } from "./span-pricing.ts";
import { mergeSpanRecords, toSpanRecord, type SpanRecord } from "./span-record.ts";
import type { SpanRowInput, TraceFields, TraceSource } from "./span-row.ts";
import { scoresOfRow, type ScoreInput } from "./score-row.ts";
import type { ScoreRecord } from "./score-upsert.ts";
import { writeBatch, type TraceRecord } from "./write-batch.ts";

/**
 * A row of a write that was not stored and never will be as it is: a span row (`index` in the
 * write's rows) or a trace (in its traces), with the reason, classified (db/write/error-kind.ts).
 */
export type Rejection = { kind: "span" | "trace" | "score"; index: number; id: string; code: string; reason: string };

/**
 * committed: stored. refused: not taken, the buffer was full. dropped: taken, then given up on (a
 * stop's deadline with the database down, a writer's thread that died); the server's journal
 * (db/write/journal/) keeps what it acknowledged of these. Else stored but for the rows named.
 */
export type WriteOutcome = "committed" | "dropped" | "refused" | { rejected: Rejection[] };

/** The rows a write's outcome names as refused (none when it was committed or dropped). */
export const rejectionsOf = (outcome: WriteOutcome): Rejection[] => (typeof outcome === "object" ? outcome.rejected : []);

type Pending = {
  project: string;
  source: TraceSource;
  rows: SpanRowInput[];
  traces: TraceFields[];
  /** Scores sent on their own (the scores API, SDK feedback); those on rows and traces ride with them. */
  scores: ScoreInput[];
  /** What this item counts against the buffer bound. */
  size: number;
  /** Nobody waits for this write (the proxy's rows): it may gather with others for the linger. */
  background: boolean;
  done: (outcome: WriteOutcome) => void;
  /** A part of a write being split (isolate): where its traces and rows stand in the whole write. */
  at?: { traces: number[]; rows: number[]; scores: number[] };
};

export type WriterStats = {
  /** Transactions committed: changes whenever anything was written. */
  commits: number;
  buffered_rows: number;
  /** Taken into the buffer (not refused): each ends committed, rejected or dropped. */
  accepted_rows: number;
  committed_rows: number;
  /** Refused as they came: the buffer was full. */
  refused_rows: number;
  /** Given up on after they were taken (outcome "dropped"). */
  dropped_rows: number;
  rejected_rows: number;
  retries: number;
  /** The last failure, classified (db/write/error-kind.ts describeError); cleared by the next commit. */
  last_error: string | null;
  /** How long rows have waited without any batch settling (0 with nothing buffered). */
  stalled_ms: number;
};

/** Counts time since the writer last moved while rows wait: what /api/health calls stalled. */
export function progressClock() {
  let since = Date.now();
  return {
    /** A batch settled, or rows arrive at an empty buffer. */
    moved: () => (since = Date.now()),
    stalledMs: (buffered: number) => (buffered > 0 ? Date.now() - since : 0),
  };
}

export type WriterOptions = {
  db: Db;
  projects: ProjectCache;
  /** Prices spans once their rows have merged; without it, spans keep only the cost their rows give. */
  pricing?: Pricing;
  /** Called after each commit with the touched trace ids and the merged spans. */
  onCommit?: (traceIds: string[], spans: SpanRecord[]) => void | Promise<void>;
  /** Whether onCommit needs the merged spans read back (the live feed does). */
  wantsSpans?: () => boolean;
  maxBufferedRows?: number;
  /** Makes sure the day partition of new traces exists before they are written. */
  partitions?: { ensureDay(date: Date): Promise<void> };
  /** Log each commit for other replicas' live feeds (Postgres, db/write/live-events.ts). */
  logEvents?: boolean;
  /**
   * Lock each batch's traces (default): orders concurrent batches for one trace, from this
   * writer's overlapping transactions or other replicas. Needless with one process on one
   * connection (PGlite), where the lock is a statement of WASM on the event loop per commit.
   */
  lockTraces?: boolean;
  /**
   * The rows come clamped already (db/write/threaded-writer.ts clamps them before they cross to the
   * writer's thread): not walked a second time here.
   */
  clamped?: boolean;
  /** Batches in flight at once. */
  concurrency?: number;
  /**
   * How long a batch of background writes gathers rows before it is written (default 0: the rows
   * of one tick). One commit then serves every call of that window, where each would otherwise pay
   * a transaction. A write someone waits for (an API request answering with its outcome) ends the
   * gathering at once.
   */
  lingerMs?: number;
  batchRows?: number;
  log?: (message: string) => void;
  /** Told how long each batch that committed took (for /metrics). */
  onBatch?: (seconds: number) => void;
};

/** What one write counts against the buffer's bound: its spans, its traces or its scores, whichever are more. */
export const bufferedSize = (rows: unknown[], traces: unknown[], scores: unknown[] = []) => Math.max(rows.length, traces.length, scores.length);

/** What a write may carry besides its rows and traces. */
export type EnqueueOptions = { background?: boolean; scores?: ScoreInput[] };

/** A span's identity, as the spans table keys it: its id within its trace. */
const spanKey = (record: SpanRecord) => `${record.traceId}\u0000${record.id}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one queue between the API and the database. Rows from concurrent
 * requests are gathered into one transaction of multi-row upserts; a failing
 * database keeps rows buffered (bounded) and retried; bad rows are set aside
 * one by one so they never take their batch with them.
 */
export function createWriter(options: WriterOptions) {
  const maxBuffered = options.maxBufferedRows ?? 200_000;
  const batchRows = options.batchRows ?? 5_000;
  const log = options.log ?? ((m: string) => console.error(m));
  const queue: Pending[] = [];
  const stats: WriterStats = {
    commits: 0,
    buffered_rows: 0,
    accepted_rows: 0,
    committed_rows: 0,
    refused_rows: 0,
    dropped_rows: 0,
    rejected_rows: 0,
    retries: 0,
    last_error: null,
    stalled_ms: 0,
  };
  const progress = progressClock();
  // Postgres takes overlapping transactions (the trace-row locks keep two
  // batches of one trace in order); PGlite is one connection, so one at a time.
  const concurrency = options.concurrency ?? 1;
  const workers = new Set<Promise<void>>();
  // Counted down by a worker in the same step in which it finds the queue
  // empty: `workers` only forgets it a microtask later, and a row enqueued in
  // between would otherwise wait for the next enqueue to start a worker.
  let running = 0;
  // A worker is gathering: new rows join its batch instead of starting another. Called, the
  // gathering ends at once.
  let gathering: (() => void) | null = null;
  let stopping = false;
  const lingerMs = options.lingerMs ?? 0;

  function enqueue(
    project: string,
    source: TraceSource,
    rows: SpanRowInput[],
    traces: TraceFields[] = [],
    { background = false, scores = [] }: EnqueueOptions = {},
  ): Promise<WriteOutcome> {
    const size = bufferedSize(rows, traces, scores);
    if (stats.buffered_rows + size > maxBuffered) {
      stats.refused_rows += rows.length;
      return Promise.resolve("refused");
    }
    if (stats.buffered_rows === 0) progress.moved();
    stats.buffered_rows += size;
    stats.accepted_rows += rows.length;
    if (!options.clamped) ({ rows, traces } = clampWrite(rows, traces));
    return new Promise((done) => {
      queue.push({ project, source, rows, traces, scores, size, background, done });
      if (gathering) {
        if (!background) gathering();
      } else if (running < concurrency) {
        startWorker(true);
      }
    });
  }

  function startWorker(gatherFirst: boolean) {
    running++;
    const worker: Promise<void> = run(gatherFirst).finally(() => workers.delete(worker));
    workers.add(worker);
  }

  /** Lets the rows of the same tick join the batch, or of the linger while nobody waits for them. */
  function gather(): Promise<void> {
    const linger = lingerMs > 0 && queue.every((p) => p.background) ? lingerMs : 0;
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        gathering = null;
        resolve();
      };
      const timer = setTimeout(end, linger);
      gathering = end;
    });
  }

  async function run(gatherFirst: boolean) {
    try {
      if (gatherFirst) await gather();
      // More gathered than one batch: the idle slots take the rest at once.
      while (running < concurrency && queuedRows() > batchRows) startWorker(false);
      while (queue.length > 0) {
        const batch = takeBatch();
        await commitWithRetry(batch);
      }
    } finally {
      running--;
    }
  }

  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (queue.length > 0 && (batch.length === 0 || rows + queue[0]!.rows.length <= batchRows)) {
      const next = queue.shift()!;
      rows += next.rows.length;
      batch.push(next);
    }
    return batch;
  }

  async function commitWithRetry(batch: Pending[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        const startedAt = performance.now();
        await commit(batch);
        options.onBatch?.((performance.now() - startedAt) / 1000);
        stats.last_error = null;
        settle(batch, "committed");
        return;
      } catch (error) {
        stats.last_error = describeError(error);
        // Anything in the batch that can never be written (a value the database refuses, or one
        // that cannot even become a statement) is set aside, and the rest goes on: retried as it
        // is, it would hold every later write behind it forever.
        if ((await faultOf(error, probe)) === "rows") return isolate(batch, error);
        if (stopping && attempt >= 2) {
          stats.dropped_rows += countRows(batch);
          settle(batch, "dropped");
          return;
        }
        stats.retries++;
        log(`kalmia: write failed, retrying (${stats.last_error})`);
        await sleep(Math.min(2_000, 100 * 2 ** attempt));
      }
    }
  }

  /** Whether the database answers at all: a failure it does not explain is then the rows'. */
  const probe = () => options.db.execute(sql`select 1`);

  /**
   * Splits a batch that cannot be written until the bad rows stand alone: writes first, then a
   * write's traces and rows, by halves. Each one left alone that still fails is rejected with its
   * reason; everything else is written.
   */
  async function isolate(batch: Pending[], error: unknown): Promise<void> {
    if (batch.length > 1) {
      for (const pending of batch) await commitWithRetry([pending]);
      return;
    }
    const [pending] = batch as [Pending];
    const at = pending.at ?? { traces: pending.traces.map((_, i) => i), rows: pending.rows.map((_, i) => i), scores: pending.scores.map((_, i) => i) };
    // Its units in one line, traces first: a trace's own fields are written before the rows that
    // only point at it; then its rows, then its scores.
    const kinds = ["traces", "rows", "scores"] as const;
    const counts = kinds.map((k) => pending[k].length);
    const units = counts[0]! + counts[1]! + counts[2]!;
    if (units <= 1) {
      const { code, reason } = classifyError(error);
      const rejection: Rejection = pending.traces.length
        ? { kind: "trace", index: at.traces[0]!, id: pending.traces[0]!.id, code, reason }
        : pending.scores.length
          ? { kind: "score", index: at.scores[0]!, id: pending.scores[0]!.id, code, reason }
          : { kind: "span", index: at.rows[0] ?? 0, id: pending.rows[0]?.id ?? "", code, reason };
      stats.rejected_rows += 1;
      stats.last_error = `${code}: ${reason} (${rejection.kind} ${JSON.stringify(rejection.id.slice(0, 100))})`;
      log(`kalmia: set aside a ${rejection.kind} the database will not take (${stats.last_error})`);
      settle(batch, { rejected: [rejection] });
      return;
    }
    const half = Math.ceil(units / 2);
    // [from, to) of each kind, for the units [lo, hi) of the line.
    const cut = (lo: number, hi: number) => {
      let offset = 0;
      return kinds.map((_, k) => {
        const range: [number, number] = [Math.min(Math.max(lo - offset, 0), counts[k]!), Math.min(Math.max(hi - offset, 0), counts[k]!)];
        offset += counts[k]!;
        return range;
      });
    };
    const outcomes: WriteOutcome[] = [];
    for (const part of [cut(0, half), cut(half, units)]) {
      const [[t0, t1], [r0, r1], [s0, s1]] = part as [[number, number], [number, number], [number, number]];
      await commitWithRetry([{
        ...pending,
        traces: pending.traces.slice(t0, t1),
        rows: pending.rows.slice(r0, r1),
        scores: pending.scores.slice(s0, s1),
        at: { traces: at.traces.slice(t0, t1), rows: at.rows.slice(r0, r1), scores: at.scores.slice(s0, s1) },
        size: 0,
        done: (o) => outcomes.push(o),
      }]);
    }
    stats.buffered_rows -= pending.size;
    progress.moved();
    const rejected = outcomes.flatMap(rejectionsOf);
    pending.done(outcomes.includes("dropped") ? "dropped" : rejected.length ? { rejected } : "committed");
  }

  async function commit(batch: Pending[]) {
    const traces = new Map<string, TraceRecord>();
    // Keyed as the table is: one span id may be used by many traces (every trace of the README's
    // example has a "span-1").
    const spans = new Map<string, SpanRecord>();
    // By id, the last one winning: one statement cannot update a row twice.
    const scores = new Map<string, ScoreRecord>();
    const addScores = async (inputs: ScoreInput[], fallbackProject: string) => {
      for (const s of inputs) {
        const { projectId } = await options.projects.resolve(s.project ?? fallbackProject);
        scores.set(s.id, {
          id: s.id, projectId, traceId: s.trace_id, spanId: s.span_id ?? null, name: s.name,
          value: s.value ?? null, label: s.label ?? null, comment: s.comment ?? null, source: s.source,
          author: s.author ?? null, metadata: s.metadata ?? null,
        });
      }
    };
    for (const pending of batch) {
      const ids = await options.projects.resolve(pending.project);
      for (const t of pending.traces) {
        traces.set(t.id, {
          id: t.id,
          ...ids,
          source: pending.source,
          name: t.name ?? null,
          input: t.input ?? null,
          output: t.output ?? null,
          metadata: t.metadata ?? null,
          error: t.error ?? null,
          ...readContext(t),
          // A trace ingested without spans has no summary run: its own metadata says it.
          provider: typeof t.metadata?.provider === "string" ? t.metadata.provider : null,
          model: typeof t.metadata?.model === "string" ? t.metadata.model : null,
          modelFamily: null,
          status: t.error ? "error" : "ok",
          startTime: typeof t.start === "number" ? new Date(t.start * 1000) : new Date(),
        });
        await addScores(scoresOfRow(t.scores, { traceId: t.id, spanId: null, project: pending.project, source: "ingest" }), pending.project);
      }
      for (const row of pending.rows) {
        const rowIds = row.project_id ? await options.projects.resolve(row.project_id) : ids;
        const record = toSpanRecord(row, rowIds.projectId);
        const key = spanKey(record);
        const before = spans.get(key);
        spans.set(key, before ? mergeSpanRecords(before, record) : record);
        const rowProject = row.project_id ?? pending.project;
        await addScores(scoresOfRow(row.scores, { traceId: record.traceId, spanId: record.id, project: rowProject, source: "ingest" }), rowProject);
        if (!traces.has(record.traceId)) {
          traces.set(record.traceId, {
            id: record.traceId,
            ...rowIds,
            source: pending.source,
            name: null,
            input: null,
            output: null,
            metadata: null,
            error: null,
            provider: null,
            model: null,
            modelFamily: null,
            status: "running",
            startTime: null,
          });
        }
      }
      await addScores(pending.scores, pending.project);
    }
    const returnSpans = options.wantsSpans?.() ?? false;
    const now = new Date();
    await options.partitions?.ensureDay(now);
    const written = await writeBatch(options.db, [...traces.values()], [...spans.values()], [...scores.values()], {
      returnSpans,
      logEvent: options.logEvents,
      lockTraces: options.lockTraces,
      now,
      pricing: options.pricing,
    });
    stats.committed_rows += spans.size + scores.size;
    stats.commits++;
    // A trace whose scores changed is told to the live feed as changed (its list row shows their means).
    const touched = new Set([...traces.keys(), ...[...scores.values()].map((s) => s.traceId)]);
    try {
      await options.onCommit?.([...touched], written);
    } catch (error) {
      log(`kalmia: publishing a commit failed (${describeError(error)})`);
    }
  }

  function settle(batch: Pending[], outcome: WriteOutcome) {
    progress.moved();
    for (const pending of batch) {
      stats.buffered_rows -= pending.size;
      pending.done(outcome);
    }
  }

  const countRows = (batch: Pending[]) => batch.reduce((n, p) => n + p.rows.length + p.scores.length, 0);
  const queuedRows = () => countRows(queue);

  return {
    enqueue,
    stats: (): WriterStats => ({ ...stats, stalled_ms: progress.stalledMs(stats.buffered_rows) }),
    /** Writes out what is buffered, giving up on a dead database after the deadline. */
    async drain(deadlineMs = 10_000): Promise<void> {
      const deadline = sleep(deadlineMs).then(() => {
        stopping = true;
        // What was never tried is given up at once: a batch each, retried, would outlast the stop.
        const untried = queue.splice(0);
        stats.dropped_rows += countRows(untried);
        settle(untried, "dropped");
      });
      while (workers.size > 0) {
        await Promise.race([Promise.all(workers), deadline]);
        if (stopping) await Promise.all(workers);
      }
    },
  };
}

export type Writer = ReturnType<typeof createWriter>;
