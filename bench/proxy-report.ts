/** How bench/proxy.ts prints: markdown lines, latency tables with "added" against the direct calls. */
import { summarize } from "./stats.ts";

export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "n/a");
export const say = (line: string) => console.log(line);

export type Added = { p50: number; p99: number };

/** Prints one table; returns each proxy's added p50/p99 (proxy percentile − direct percentile). */
export function latencyTable(title: string, samples: Map<string, number[]>): Map<string, Added> {
  const direct = summarize(samples.get("direct") ?? []);
  const added = new Map<string, Added>();
  say(`\n#### ${title}`);
  say("| target | n | p50 ms | p99 ms | added p50 ms | added p99 ms |");
  say("|---|---|---|---|---|---|");
  for (const [name, values] of samples) {
    const s = summarize(values);
    if (name !== "direct") added.set(name, { p50: s.p50 - direct.p50, p99: s.p99 - direct.p99 });
    const cells = name === "direct" ? ["—", "—"] : [fmt(s.p50 - direct.p50), fmt(s.p99 - direct.p99)];
    say(`| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${cells[0]} | ${cells[1]} |`);
  }
  return added;
}

const verdicts: string[] = [];

/** Records a measure against one of the targets, printed together by `printTargets`. */
export function target(goal: string, met: boolean, measured: string) {
  verdicts.push(`- ${goal}: **${met ? "met" : "not met"}** (${measured})`);
}

export function printTargets() {
  if (verdicts.length === 0) return;
  say("\n#### Against the issue's targets (this run)");
  for (const line of verdicts) say(line);
}
