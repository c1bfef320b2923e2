import { scoresOfRow } from "../score-row.ts";
import type { JournalEntry } from "./journal-record.ts";

/** The ids of the scores a write carries: sent on their own, and those on its traces and rows (ingest). */
export function scoreIdsOf(entry: JournalEntry): string[] {
  const ids: string[] = [];
  for (const part of entry) {
    for (const score of part.scores ?? []) ids.push(score.id);
    for (const t of part.traces) if (t.scores) for (const s of scoresOfRow(t.scores, { traceId: t.id, spanId: null, project: part.project, source: "ingest" })) ids.push(s.id);
    for (const row of part.rows) {
      if (!row.scores) continue;
      // As the writer places them (db/write/writer.ts commit): on the row's span in its trace.
      const where = { traceId: row.trace_id ?? row.root_span_id, spanId: row.id, project: part.project, source: "ingest" as const };
      for (const s of scoresOfRow(row.scores, where)) ids.push(s.id);
    }
  }
  return ids;
}

/**
 * The score ids of the writes taken and not yet written (or given up): a delete of a score waits
 * for them, so that a score acknowledged before the delete (202, still queued behind a slow
 * database, or replayed from the journal) never lands after it and brings the score back, and an
 * update is never overtaken by an older write of the same id. Kept on the server's side of the
 * writer, which sees every write come and settle; while the journal is replayed at start, every
 * id counts as pending (what the journal holds is not known until it is read).
 */
export function createPendingScores() {
  const counts = new Map<string, number>();
  let wholeHolds = 0;
  let waiters: (() => void)[] = [];

  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };

  /** Marks the ids pending until the returned release is called (once). */
  function hold(ids: string[]): () => void {
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      let freed = false;
      for (const id of ids) {
        const left = (counts.get(id) ?? 1) - 1;
        if (left > 0) counts.set(id, left);
        else {
          counts.delete(id);
          freed = true;
        }
      }
      if (freed) wake();
    };
  }

  /** Every id pending until released: the journal's replay, before its entries are known. */
  function holdAll(): () => void {
    wholeHolds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      wholeHolds--;
      wake();
    };
  }

  const isPending = (ids: string[], replay: boolean) => (replay && wholeHolds > 0) || ids.some((id) => counts.has(id));

  /**
   * Resolves true once no write of these ids is pending, or false if some still is after waitMs.
   * `replay`: a replay not fully read yet counts as pending too.
   */
  async function settled(ids: string[], waitMs: number, replay = true): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    while (isPending(ids, replay)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
    return true;
  }

  return { hold, holdAll, settled, size: () => counts.size };
}

export type PendingScores = ReturnType<typeof createPendingScores>;
