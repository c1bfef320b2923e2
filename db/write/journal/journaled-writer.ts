import type { WriteOutcome, Writer, WriterStats } from "../writer.ts";
import type { Journal, JournalRef } from "./journal.ts";
import { rowsOf, type JournalEntry } from "./journal-record.ts";
import { createPendingScores, scoreIdsOf } from "./pending-scores.ts";

/**
 * What a request that waits for its writes is told: their outcomes, one a write, when they settled in
 * time (all "refused" when any was: the buffer is full, 503); else queued (not written yet, but on
 * disk in the journal: 202) or unavailable (stopping, or the journal could not take it: 503).
 */
export type Acknowledgment = WriteOutcome[] | "queued" | "unavailable";

/** A request's one answer: an outcome for all its writes, or queued, or unavailable. */
export type Answer = WriteOutcome | "queued" | "unavailable";

/** The answer of an acknowledgment: its one write's outcome, or its writes' combined. */
export const answerOf = (ack: Acknowledgment, combine: (outcomes: WriteOutcome[]) => WriteOutcome = (o) => o[0]!): Answer =>
  Array.isArray(ack) ? combine(ack) : ack;

export type JournaledWriterStats = Omit<WriterStats, "dropped_rows"> & {
  /** Acknowledged, then lost: with the journal there is no way left to lose them, so 0. */
  dropped_rows: number;
  /** The proxy's rows lost: the buffer was full, or the writer gave up on them and none could be journaled. */
  proxy_dropped_rows: number;
  /** Rows in the journal the database does not have yet (of a replay, those read so far). */
  journal_rows: number;
  /** The journal's segment files: 0 once everything in it is written. */
  journal_segments: number;
};

type Tracked = { entry: JournalEntry; journaled: boolean };

/** Written, or refused by the database for good (rows named): either way no longer the journal's. */
const settledForGood = (outcomes: WriteOutcome[]) => outcomes.every((o) => o !== "dropped" && o !== "refused");

/**
 * The writer (db/write/writer.ts, or its thread) behind the journal: a write someone waits for is answered
 * from its commit when that comes in time, and otherwise appended to the journal and fsync'd before
 * it is acknowledged (202), so that a 2xx survives SIGTERM, kill -9 and a database that stays
 * down. Writes that are never journaled pay nothing for it. An entry leaves the journal when the
 * database has it; what the last run left is replayed at start (rows merge by id, so a replay of
 * rows already written changes nothing).
 */
export function createJournaledWriter(options: { writer: Writer; journal: Journal; maxBufferedRows: number; log?: (message: string) => void }) {
  const { writer, journal } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  // Replayed rows take at most half the buffer, so new writes are still taken meanwhile.
  const replayRoom = Math.max(1, Math.floor(options.maxBufferedRows / 2));
  const own = { refused_rows: 0, proxy_dropped_rows: 0 };
  // Writes taken and not settled: at shutdown, what the writer gives up on is journaled.
  const inFlight = new Set<Tracked>();
  const appending = new Set<Promise<unknown>>();
  let draining = false;
  // The score ids of the writes not settled yet: a score's delete waits for them.
  const pendingScores = createPendingScores();
  let stopped!: () => void;
  const stopping = new Promise<"stopping">((resolve) => (stopped = () => resolve("stopping")));

  const enqueueEntry = (entry: JournalEntry, background = false) =>
    Promise.all(entry.map((p) => writer.enqueue(p.project, p.source, p.rows, p.traces, { background, scores: p.scores })));

  function append(entry: JournalEntry): Promise<JournalRef> {
    const appended = journal.append(entry);
    appending.add(appended);
    void appended.catch(() => {}).finally(() => appending.delete(appended));
    return appended;
  }

  /** Waits for room in the buffer for a journaled entry's rows. */
  async function room(rows: number) {
    while (!draining && writer.stats().buffered_rows > 0 && writer.stats().buffered_rows + rows > replayRoom) await Bun.sleep(20);
  }

  /** Writes a journaled entry until the database has it; it stays journaled if the server stops first. */
  async function writeJournaled(entry: JournalEntry, ref: JournalRef) {
    const release = pendingScores.hold(scoreIdsOf(entry));
    try {
      for (;;) {
        await room(rowsOf(entry));
        if (draining) return;
        // As a write someone waits for, not the proxy's lingering kind: a 100,000-row journal drained
        // in 3 s on Postgres so, in 19 s as background writes (bench/journal.ts).
        if (settledForGood(await enqueueEntry(entry))) return journal.settle(ref);
        // Refused (full) or given up (the writer's thread died): again, after a pause.
        await Bun.sleep(1_000);
      }
    } finally {
      release();
    }
  }

  /** A write nobody waits for (the proxy's): journaled only if the server stops before it is written. */
  const enqueue: Writer["enqueue"] = (project, source, rows, traces = [], { background = false, scores } = {}) => {
    const entry: JournalEntry = [{ project, source, rows, traces, scores }];
    if (draining) {
      void append(entry).catch(() => (own.proxy_dropped_rows += rows.length));
      return Promise.resolve("dropped");
    }
    const tracked: Tracked = { entry, journaled: false };
    inFlight.add(tracked);
    const release = pendingScores.hold(scoreIdsOf(entry));
    return writer.enqueue(project, source, rows, traces, { background, scores }).then((outcome) => {
      release();
      inFlight.delete(tracked);
      if (outcome === "dropped" && draining) void append(entry).catch(() => (own.proxy_dropped_rows += rows.length));
      else if (outcome === "refused" || outcome === "dropped") own.proxy_dropped_rows += rows.length;
      return outcome;
    });
  };

  /**
   * Takes a request's writes and answers for them: from their commit if it comes within waitMs,
   * else from the journal once they are on disk. Once draining has begun, nothing new is taken.
   */
  async function accept(entry: JournalEntry, waitMs: number): Promise<Acknowledgment> {
    if (draining) return "unavailable";
    const release = pendingScores.hold(scoreIdsOf(entry));
    const writes = entry.map((p) => writer.enqueue(p.project, p.source, p.rows, p.traces, { scores: p.scores }));
    const outcomes = Promise.all(writes);
    // One write refused (the buffer is full) refuses the request at once: nothing is acknowledged.
    const refused = new Promise<"refused">((resolve) => writes.forEach((w) => void w.then((o) => o === "refused" && resolve(o))));
    const tracked: Tracked = { entry, journaled: false };
    inFlight.add(tracked);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const early = await Promise.race([outcomes, refused, stopping, new Promise<null>((r) => (timer = setTimeout(r, waitMs, null)))]);
    clearTimeout(timer);
    if (early === "refused" || (Array.isArray(early) && early.includes("refused"))) {
      // Another of its writes may still be written: its scores are pending until all are settled.
      void outcomes.finally(release);
      inFlight.delete(tracked);
      own.refused_rows += rowsOf(entry);
      return entry.map(() => "refused");
    }
    if (Array.isArray(early)) {
      release();
      inFlight.delete(tracked);
      return early;
    }
    tracked.journaled = true;
    let ref: JournalRef;
    try {
      ref = await append(entry);
    } catch (error) {
      void outcomes.finally(release);
      inFlight.delete(tracked);
      log(`kalmia: the journal could not take a write (${(error as NodeJS.ErrnoException).code ?? "error"}); answered 503`);
      return "unavailable";
    }
    void outcomes.then((settled) => {
      inFlight.delete(tracked);
      if (settledForGood(settled)) journal.settle(ref);
      // Holds its scores again before this write's hold is let go: never a moment unheld.
      else if (!draining) void writeJournaled(entry, ref);
      release();
    });
    return "queued";
  }

  /** Replays what the last run left in the journal: started in the background, at start. */
  async function replay() {
    // Until every entry is read and handed to the writer, any score may be in one.
    const releaseAll = pendingScores.holdAll();
    try {
      await replayEntries();
    } finally {
      releaseAll();
    }
  }

  async function replayEntries() {
    let entries = 0;
    let rows = 0;
    for await (const segment of journal.recovered()) {
      if (segment.damaged) log(`kalmia: ${segment.damaged} damaged line(s) in the journal were skipped`);
      for (let i = 0; i < segment.entries.length; i++) {
        if (draining) return;
        const entry = segment.entries[i]!;
        await room(rowsOf(entry));
        void writeJournaled(entry, segment.refs[i]!);
        entries++;
        rows += rowsOf(entry);
      }
    }
    if (entries) log(`kalmia: replaying ${rows} rows (${entries} writes) from the journal in ${journal.dir}`);
  }

  return {
    enqueue,
    accept,
    replay,
    /**
     * Resolves true once no write taken of these score ids is pending (committed, refused for good
     * or given up), false if one still is after waitMs: what a score's delete (`replay` true: the
     * journal's replay too) and update wait for.
     */
    scoresSettled: (ids: string[], waitMs: number, replay = true) => pendingScores.settled(ids, waitMs, replay),
    stats: (): JournaledWriterStats => {
      const spool = journal.stats();
      return {
        ...writer.stats(),
        refused_rows: own.refused_rows,
        dropped_rows: 0,
        proxy_dropped_rows: own.proxy_dropped_rows,
        journal_rows: spool.rows,
        journal_segments: spool.segments,
      };
    },
    get draining() {
      return draining;
    },
    /**
     * Stops taking writes (503 from here on), answers the requests waiting for a commit from the
     * journal, writes what it can before the deadline, journals what it could not, and closes the
     * journal, saying how many rows are left in it.
     */
    async drain(deadlineMs = 4_000): Promise<void> {
      draining = true;
      stopped();
      await writer.drain(deadlineMs);
      // The writer's last outcomes are being handled (journaled) in callbacks queued as it settled.
      await Bun.sleep(0);
      for (const tracked of inFlight) if (!tracked.journaled) void append(tracked.entry).catch(() => {});
      inFlight.clear();
      while (appending.size > 0) await Promise.allSettled([...appending]);
      await journal.close();
      const left = journal.stats();
      log(
        left.rows > 0
          ? `kalmia: ${left.rows} rows left in the journal (${journal.dir}); they are written on the next start`
          : "kalmia: 0 rows left in the journal",
      );
    },
  };
}

export type JournaledWriter = ReturnType<typeof createJournaledWriter>;
