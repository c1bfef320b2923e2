import type postgres from "postgres";

/** Day partitions of traces, spans and span_search for the last `days` days (the server only keeps today's and the next few). */
export async function makeDayPartitions(sql: postgres.Sql, days: number) {
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  for (let d = -days - 1; d <= 1; d++) {
    const from = new Date(today + d * DAY).toISOString().slice(0, 10);
    const to = new Date(today + (d + 1) * DAY).toISOString().slice(0, 10);
    for (const table of ["traces", "spans", "span_search"]) {
      await sql.unsafe(`create table if not exists ${table}_p${from.replaceAll("-", "")} partition of ${table}
        for values from ('${from} 00:00:00+00') to ('${to} 00:00:00+00')`);
    }
  }
}

/**
 * Traces from where the database stands (`storedSpans`) up to `spans`, 50,000 traces a statement pair
 * (`chunk` makes traces lo..hi-1 and their spans at `now`), saying how far it got.
 */
export async function fillInChunks(
  storedSpans: number,
  spans: number,
  spansPerTrace: number,
  chunk: (lo: number, hi: number, now: string) => Promise<void>,
) {
  const traces = Math.ceil(spans / spansPerTrace);
  const started = performance.now();
  const now = new Date().toISOString();
  for (let lo = Math.floor(storedSpans / spansPerTrace); lo < traces; lo += 50_000) {
    await chunk(lo, Math.min(traces, lo + 50_000), now);
    console.error(`filled ${Math.min(traces, lo + 50_000) * spansPerTrace} spans, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
