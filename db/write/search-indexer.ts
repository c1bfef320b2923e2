import { sql } from "drizzle-orm";
import { runInTransaction } from "./batch-transaction.ts";
import { describeError } from "./error-kind.ts";
import type { Database } from "../connect/open.ts";
import { writeBurstWatch, type WriteLoad } from "./write-burst.ts";

// One indexer works at a time in a cluster: replicas each run one, and the one holding this lock
// for its transaction does the work while the others find it taken and wait for their next turn.
// One at a time also keeps the text right: a span written twice is indexed from a snapshot taken
// after its last write, never overwritten by an older read of a concurrent indexer.
const INDEXER_LOCK = 727_274_005;
// Spans a transaction aims at. A write (a search_pending row) holds a writer's batch: up to 5,000
// spans from ingest, a few dozen from the proxy's 20 ms of calls; the writes claimed per chunk follow
// the last chunk's spans per write (within 1..MAX_WRITES_PER_CHUNK), so the proxy's small writes are
// indexed a hundred at a time, not four: fewer transactions, each statement's cost shared by more spans.
const SPANS_PER_CHUNK = 5_000;
const MAX_WRITES_PER_CHUNK = 256;
// The index's pending list while the indexer inserts (kB): see indexChunk.
const PENDING_LIST_KB = 16_384;
// How long a stop waits for the chunk in flight, inside the server's 8 s stop (server/start.ts).
const STOP_WAIT_MS = 2_000;
// How often an idle indexer looks for new writes: search is this much (plus a chunk's work) behind.
const POLL_MS = 200;
// How often an indexer yielding to a burst of writes looks again (see loop).
const BURST_CHECK_MS = 100;
// The longest it yields before indexing one chunk anyway (see loop).
const MAX_YIELD_MS = 10_000;

/**
 * One transaction: claims the oldest writes' keys from search_pending and upserts the search text of
 * their spans (span_search_text, as migration 0003 defines it) into span_search, whose trigram index
 * `q` reads (db/query/span-search.ts). A span no longer stored (its day dropped by retention) is skipped.
 */
const indexChunkOf = (writes: number) => sql`
  with claimed as (
    delete from search_pending where id in (select id from search_pending order by id limit ${writes})
    returning keys
  ), changed as (
    select distinct e->>0 as trace_id, e->>1 as span_id, (e->>2)::timestamptz as trace_created_at
    from claimed, jsonb_array_elements(claimed.keys) e
  ), indexed as (
    insert into span_search (trace_id, span_id, trace_created_at, project_id, text)
    select s.trace_id, s.id, s.trace_created_at, s.project_id, span_search_text(s.name, s.input, s.output, s.error, s.metadata)
    from changed c join spans s on s.trace_id = c.trace_id and s.id = c.span_id and s.trace_created_at = c.trace_created_at
    on conflict (trace_id, span_id, trace_created_at) do update set text = excluded.text
    returning 1
  )
  select (select count(*) from claimed)::int as writes, (select count(*) from indexed)::int as spans`;

type Chunk = { writes: number; spans: number };

/**
 * Keeps span_search up to date behind the writer: search finds a span about POLL_MS after its write
 * commits, longer while ingest outruns the indexer (pendingSpans() says how far behind it is; the
 * health details show it). Postgres: one per replica, working one at a time (INDEXER_LOCK).
 * PGlite: one, in the server's process.
 */
export function createSearchIndexer(options: { database: Database; log?: (message: string) => void }) {
  const { database } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  // last_error: the last failure, classified (db/write/error-kind.ts); cleared by the next pass.
  // yielding_to_writes: waiting out a burst of writes (see loop), which is why pending spans grow.
  const stats = { indexed_spans: 0, last_error: null as string | null, yielding_to_writes: false };
  let running: Promise<void> | null = null;
  let stopped = false;
  let wake = () => {};

  // Writes to claim next: as many as make SPANS_PER_CHUNK at the last chunk's spans per write.
  let writesPerChunk = 4;

  /** Indexes one chunk; null when another replica's indexer holds the turn. */
  async function indexChunk(): Promise<Chunk | null> {
    // As the writer's transactions (db/write/batch-transaction.ts): prepared statements with one
    // generic plan per connection. Planned afresh each time, the chunk's statement, which may touch
    // every day partition of spans and span_search, took ~40 ms to plan (35 days, load 20) against
    // 1 ms to run when there was nothing to index: five times a second, for every poll.
    let mine = false;
    const results = await runInTransaction(
      database.db,
      [
        sql`select pg_try_advisory_xact_lock(${INDEXER_LOCK}) as mine`,
        // Trigrams gather in the index's pending list and are merged into it in bulk when the list is
        // full: a longer list merges more at once (1.7× the spans/s of the 4 MB default, measured).
        // Searches read the list whole, so not longer still; vacuum merges it when writes pause.
        sql`select set_config('gin_pending_list_limit', ${String(PENDING_LIST_KB)}, true)`,
      ],
      ([turn]) => ((mine = turn?.[0]?.mine === true) ? [indexChunkOf(writesPerChunk)] : []),
    );
    if (!mine) return null;
    const [done] = results[0]!;
    const chunk = { writes: Number(done!.writes), spans: Number(done!.spans) };
    if (chunk.writes > 0) writesPerChunk = Math.max(1, Math.min(MAX_WRITES_PER_CHUNK, Math.floor(SPANS_PER_CHUNK / Math.max(1, chunk.spans / chunk.writes))));
    return chunk;
  }

  /** Indexes until nothing is pending (or another indexer has the turn): the spans it indexed. */
  async function catchUp(): Promise<number> {
    let spans = 0;
    while (!stopped) {
      const chunk = await indexChunk();
      if (!chunk || chunk.writes === 0) break;
      spans += chunk.spans;
      stats.indexed_spans += chunk.spans;
    }
    return spans;
  }

  /**
   * Indexes what is pending, polling every POLL_MS when there is nothing, and yields to bursts of
   * writes. Indexing a span costs Postgres more CPU than writing it (BENCHMARKS.md, "The search
   * indexer's lag"), and on a small machine the two share the same cores: 27,500 committed spans/s
   * with the indexer held off against 23,000 beside it (2 cores). The policy:
   * - while this process's writer is in a burst (write-burst.ts: ≥ 2,000 rows/s over the last
   *   0.5 s, or ≥ 1,000 rows queued), the indexer waits, looking again every BURST_CHECK_MS, and the
   *   writes have the cores; search lags by the burst (pending_spans in /api/health says how much);
   * - once the burst has been over for 0.5 s it drains at full speed, as before;
   * - the proxy's steady small writes and a usual service's SDK flushes stay under the burst line,
   *   so search keeps up within POLL_MS, as before;
   * - an endless burst does not stall search forever: after MAX_YIELD_MS without a chunk the indexer
   *   indexes one chunk (~5,000 spans) anyway, about a tenth of a core at most.
   * Replicas each run one indexer, and the one holding the turn yields to its own process's writer
   * only: a burst usually reaches every replica behind a load balancer alike.
   */
  async function loop(inBurst: (() => boolean) | null, maxYieldMs: number) {
    let lastChunkAt = Date.now();
    while (!stopped) {
      stats.yielding_to_writes = inBurst?.() === true;
      if (stats.yielding_to_writes && Date.now() - lastChunkAt < maxYieldMs) {
        await pause(BURST_CHECK_MS);
        continue;
      }
      let more = false;
      try {
        const chunk = await indexChunk();
        more = chunk !== null && chunk.writes > 0;
        if (more) stats.indexed_spans += chunk!.spans;
        stats.last_error = null;
      } catch (error) {
        // Classified, as the writer's: /api/health shows it, so never the driver's text (host, SQL).
        stats.last_error = describeError(error);
        log(`kalmia: search indexing failed, retrying (${stats.last_error})`);
      }
      lastChunkAt = Date.now();
      if (!more) await pause(POLL_MS);
    }
  }

  /** Waits ms, or until stop. */
  const pause = (ms: number) =>
    stopped ? Promise.resolve() : new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  return {
    catchUp,
    stats: () => ({ ...stats }),
    /** Spans written but not yet searchable. */
    async pendingSpans(): Promise<number> {
      const [row] = await database.rows<{ n: number }>(sql`select coalesce(sum(jsonb_array_length(keys)), 0)::int as n from search_pending`);
      return Number(row?.n ?? 0);
    },
    /**
     * Starts indexing in the background. yieldTo: this process's writer's counters, to yield to its
     * bursts (see loop); maxYieldMs: the longest it yields without indexing a chunk.
     */
    start(options: { yieldTo?: () => WriteLoad; maxYieldMs?: number } = {}) {
      stopped = false;
      running ??= loop(options.yieldTo ? writeBurstWatch(options.yieldTo) : null, options.maxYieldMs ?? MAX_YIELD_MS);
    },
    /**
     * Ends the loop once its current chunk commits (a chunk is one transaction of a few writes), or
     * gives up waiting after STOP_WAIT_MS (a chunk waiting on a lock, say a manual index build):
     * closing the database then rolls the chunk back, and its writes stay pending for the next start.
     */
    async stop() {
      stopped = true;
      stats.yielding_to_writes = false;
      wake();
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS))]);
      running = null;
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
