/** What the list benchmarks (bench/query-model.ts, bench/scores.ts) share: days to fill, and timed list requests. */
import type postgres from "postgres";
import { summarize } from "./stats.ts";

/** Day partitions of traces, spans and their search text for the last `days` days (the server keeps only today's and the next few). */
export async function makePartitions(sql: postgres.Sql, days: number) {
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

/** `runs` GETs of the list (after five that warm the server up): their times, and the mean rows and total they answered. */
export async function timed(url: string, runs: number, path: (i: number) => string) {
  const samples: number[] = [];
  let matches = 0;
  let rows = 0;
  for (let i = 0; i < runs + 5; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${path(i)}`);
    const body = (await response.json()) as { traces: unknown[]; total: number };
    if (response.status !== 200) throw new Error(`${path(i)} answered ${response.status}: ${JSON.stringify(body)}`);
    if (i >= 5) {
      samples.push(performance.now() - started);
      matches += body.total;
      rows += body.traces.length;
    }
  }
  return { ...summarize(samples), meanTotal: Math.round(matches / runs), meanRows: Math.round(rows / runs) };
}
