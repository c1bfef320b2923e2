import { sql } from "drizzle-orm";
import { runInTransaction } from "./batch-transaction.ts";
import { logLiveEvent } from "./live-events.ts";
import type { Db } from "../connect/open.ts";
import { spanRecordFromRow } from "./span-from-row.ts";
import { lookUpPriceInputs, priceSpans, spansToLookUp, type Pricing } from "./span-pricing.ts";
import type { SpanRecord } from "./span-record.ts";
import { spanUpserts } from "./span-upsert.ts";
import { adoptScores, markSharedNames, scoreUpserts, type ScoreRecord } from "./score-upsert.ts";
import { recordSearchPending } from "./search-pending.ts";
import { lookUpTraceCreation, tracePlaces } from "./trace-creation.ts";
import { traceUpserts, type TraceUpsertRow } from "./trace-summary.ts";

export type TraceRecord = TraceUpsertRow;

// Only for bench/ingest.ts, which measures what keeping the overview's rollups costs a write: a server
// started with KALMIA_BENCH_NO_ROLLUPS=1 leaves them out (and its overview is wrong).
const ROLLUPS = process.env.KALMIA_BENCH_NO_ROLLUPS !== "1";

/**
 * Writes one batch in one transaction, in two steps (on Postgres, two round trips):
 * 1. unless it is the only writer (lockTraces false), the batch's trace ids
 *    (its scores' included) are locked, sorted (so two writers never deadlock) for the rest of the
 *    transaction: that orders two replicas' batches for one trace, and keeps
 *    a trace's creation time from changing;
 * 2. the creation times of the stored ones are looked up: the partition key
 *    of a trace and its spans, which new rows must repeat, and so the day
 *    partitions the rest writes to directly; and, for spans whose rows came
 *    apart (an SDK's start row has the model, its end row the usage), what
 *    their stored rows say of their price; then
 * 3. the spans, priced as merged, as multi-row upserts that merge with what is stored;
 * 4. the traces with their summaries, and their contributions to the overview's rollups; the scores
 *    given before the new traces move into their projects; then the batch's scores (after the
 *    traces: a score takes its trace's project), and which of them share a name within their trace;
 * 5. for other replicas' live feeds, the change log;
 * 6. for the search indexer (db/write/search-indexer.ts), which spans changed: one small row, so that the
 *    trigram index is kept behind the writes, not inside them.
 * New traces are created at `now` (whose day partition must exist).
 */
export async function writeBatch(
  db: Db,
  traceRecords: TraceRecord[],
  spanRecords: SpanRecord[],
  scoreRecords: ScoreRecord[],
  options: { returnSpans: boolean; logEvent?: boolean; lockTraces?: boolean; now: Date; pricing?: Pricing },
): Promise<SpanRecord[]> {
  const sortedTraces = [...traceRecords].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const traceIds = sortedTraces.map((t) => t.id);
  const ids = JSON.stringify(traceIds);
  // The scores' traces too: a batch creating a trace and another scoring it, overlapping, would each
  // miss the other's uncommitted row, leaving the score in its named project and flagged before_trace.
  const locked = JSON.stringify([...new Set([...traceIds, ...scoreRecords.map((s) => s.traceId)])].sort());
  const lock = options.lockTraces ?? true;
  let spanStatements = 0;
  const toLookUp = spansToLookUp(spanRecords);
  const results = await runInTransaction(
    db,
    [
      ...(lock ? [sql`select pg_advisory_xact_lock(hashtextextended(id, 0)) from jsonb_array_elements_text(${locked}::jsonb) as e(id)`] : []),
      lookUpTraceCreation(ids),
      ...(toLookUp.length ? [lookUpPriceInputs(toLookUp)] : []),
    ],
    (found) => {
      const creations = found.at(toLookUp.length ? -2 : -1)!;
      priceSpans(spanRecords, toLookUp.length ? found.at(-1)! : [], options.pricing);
      for (const t of sortedTraces) t.modelFamily = t.model && options.pricing ? options.pricing.familyOf(t.provider, t.model) : null;
      const placeOf = tracePlaces(creations, options.now);
      const stored = new Set(creations.map((r) => String(r.id)));
      const created = sortedTraces.filter((t) => !stored.has(t.id)).map((t): [string, string] => [t.id, t.projectId]);
      const spans = spanUpserts(spanRecords, placeOf, options.returnSpans);
      spanStatements = spans.length;
      return [
        ...spans,
        ...traceUpserts(sortedTraces, placeOf, ROLLUPS),
        ...(created.length ? [adoptScores(created)] : []),
        ...scoreUpserts(scoreRecords),
        ...(scoreRecords.length ? [markSharedNames(scoreRecords)] : []),
        ...(options.logEvent ? [logLiveEvent(scoredTraceIds(traceIds, scoreRecords), spanRecords.map((s) => s.id))] : []),
        ...(spanRecords.length ? [recordSearchPending(spanRecords, placeOf)] : []),
      ];
    },
  );
  if (!options.returnSpans) return [];
  return results.slice(0, spanStatements).flat().map(spanRecordFromRow);
}

/** The batch's traces and those whose scores it changed: what the live feeds show as changed. */
function scoredTraceIds(traceIds: string[], scores: ScoreRecord[]): string[] {
  if (scores.length === 0) return traceIds;
  return [...new Set([...traceIds, ...scores.map((s) => s.traceId)])];
}
