/** What the list benchmarks (bench/query-model.ts, bench/scores.ts) share: timed list requests (day partitions: bench/bulk-fill.ts). */
import { summarize } from "./stats.ts";

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
