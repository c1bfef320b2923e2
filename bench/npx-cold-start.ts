/**
 * `npx kalmia` cold start (issue 26): the root package packed and installed from its tarball into an
 * empty folder, as a user would, then the time from spawning `npx kalmia` to the first 200 from
 * /api/health:
 *   - first start: no .kalmia yet (PGlite creates its database and runs the migrations);
 *   - restart: the same .kalmia, opened again;
 * and, for where the time goes, `npx kalmia --version` (npx and the Node shim, no server).
 *   bun bench/npx-cold-start.ts            BENCH_RUNS=5 to change the number of each.
 * The install itself (npm, from its cache) is timed too, once.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { freshProject, mustRun, npmPack, repoRoot } from "../test/packaging/npm-project.ts";
import { startNpxKalmia } from "../test/packaging/npx-kalmia.ts";
import { machine, summarize } from "./stats.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const tarball = await npmPack(repoRoot);
const installStarted = performance.now();
const project = await freshProject([tarball]);
const installMs = performance.now() - installStarted;

async function startOnce(): Promise<number> {
  const kalmia = await startNpxKalmia(project, ["--port", "0"]);
  await kalmia.stop();
  return kalmia.msToHealthy;
}

// What npx and the Node shim cost before Bun starts: `npx kalmia --version` answers from the shim.
const shim: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  await mustRun(["npx", "--no-install", "kalmia", "--version"], { cwd: project });
  shim.push(performance.now() - started);
}

const first: number[] = [];
const restart: number[] = [];
for (let run = 0; run < RUNS; run++) {
  rmSync(join(project, ".kalmia"), { recursive: true, force: true });
  first.push(await startOnce());
  restart.push(await startOnce());
}

const ms = (value: number) => `${Math.round(value)} ms`;
const line = (name: string, samples: number[]) => {
  const { p50 } = summarize(samples);
  return `${name}: p50 ${ms(p50)}, min ${ms(Math.min(...samples))}, max ${ms(Math.max(...samples))} (${samples.length} runs)`;
};
console.log(machine());
console.log(`npm install of the tarball (from npm's cache): ${ms(installMs)}`);
console.log(line("npx kalmia --version (npx + Node shim only)", shim));
console.log(line("npx kalmia, first start (new .kalmia) to /api/health 200", first));
console.log(line("npx kalmia, restart (existing .kalmia) to /api/health 200", restart));
