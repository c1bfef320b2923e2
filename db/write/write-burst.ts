/** What the burst watch reads of a writer: WriterStats has both (db/write/writer.ts). */
export type WriteLoad = { buffered_rows: number; committed_rows: number };

// A burst: the writer committed rows at this rate or more over the last WINDOW_MS, or has this many
// rows waiting (requests blocked on the database). Below ~2,000 spans/s, writing and indexing them
// together take about half a core (~80 µs a span to write, 100–180 µs to index: BENCHMARKS.md,
// "Ingest into Postgres"), so search keeps up at once; the proxy's steady calls and the SDKs' flushes
// of a usual service stay under it. Above it the writes are what the cores are wanted for.
const BURST_ROWS_PER_SECOND = 2_000;
// A writer's batch is up to 5,000 rows: this many unsettled is a queue, not a batch in flight.
const BURST_QUEUED_ROWS = 1_000;
// The rate is taken over this long: one big batch committing is not a burst by itself, and a burst
// stays one for this long after its last commit ("committed in the last few hundred ms").
const WINDOW_MS = 500;

/**
 * Tells whether the writer of this process is in a burst, from its counters (no hook in the writer,
 * nothing shared between threads: the stats are the main thread's already). Each call takes a
 * sample; the rate is measured over WINDOW_MS or more of samples, or since the first one.
 */
export function writeBurstWatch(load: () => WriteLoad, now: () => number = Date.now) {
  const samples: { at: number; committed: number }[] = [];
  return function inBurst(): boolean {
    const { buffered_rows, committed_rows } = load();
    const at = now();
    samples.push({ at, committed: committed_rows });
    while (samples.length > 2 && samples[1]!.at <= at - WINDOW_MS) samples.shift();
    const base = samples[0]!;
    // Over at least WINDOW_MS, so that the first samples, close together, do not read as a spike.
    const perSecond = ((committed_rows - base.committed) * 1000) / Math.max(at - base.at, WINDOW_MS);
    return buffered_rows >= BURST_QUEUED_ROWS || perSecond >= BURST_ROWS_PER_SECOND;
  };
}
