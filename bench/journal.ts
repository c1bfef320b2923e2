/**
 * The journal of acknowledged writes (issue 19, finding 7), on Postgres (a throwaway cluster of the
 * bench's own, stopped and started) and PGlite:
 *   1. span upload with the database up: what it commits per second, and what the journal wrote (nothing);
 *   2. the same during an outage: every request waits its 10 s, is journaled, answered 202;
 *   3. the journal alone on this disk: one 200-row entry appended and fsync'd, alone and 50 at once;
 *   4. recovery: a 100,000-row journal where a stopped server left it; Kalmia started on a database
 *      that is up: seconds until the journal is empty and every row is readable.
 *   bun bench/journal.ts          (BENCH_UP_SECONDS, BENCH_DOWN_SECONDS, BENCH_RECOVERY_ROWS)
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { openJournal } from "../db/write/journal/journal.ts";
import { startOwnPostgres } from "../test/harness/own-postgres.ts";
import { startKalmia, type RunningKalmia } from "../test/harness/start-kalmia.ts";
import { tempDir } from "../test/harness/temp-dir.ts";
import { rows } from "./span-rows.ts";
import { machine, summarize } from "./stats.ts";

const UP_SECONDS = Number(process.env.BENCH_UP_SECONDS ?? 10);
const DOWN_SECONDS = Number(process.env.BENCH_DOWN_SECONDS ?? 25);
const RECOVERY_ROWS = Number(process.env.BENCH_RECOVERY_ROWS ?? 100_000);
const ROWS_PER_REQUEST = 200;

const say = (line: string) => console.log(line);
const ms = (x: number) => `${x.toFixed(1)} ms`;

function spoolFiles(dataDir: string) {
  const dir = join(dataDir, "spool");
  if (!existsSync(dir)) return { files: 0, bytes: 0 };
  const files = readdirSync(dir).filter((n) => n.endsWith(".journal"));
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) };
}

async function upload(url: string, seconds: number, concurrency: number, prefix: string) {
  const deadline = performance.now() + seconds * 1000;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let batch = 0;
  let committed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const body = JSON.stringify({ project: "bench-journal", rows: rows(`${prefix}${batch++}`, ROWS_PER_REQUEST) });
        const sent = performance.now();
        const response = await fetch(`${url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200) committed += ROWS_PER_REQUEST;
      }
    }),
  );
  return { statuses: Object.fromEntries(statuses), latency: summarize(latencies), perSecond: Math.round(committed / ((performance.now() - started) / 1000)) };
}

async function health(url: string) {
  return ((await (await fetch(`${url}/api/health`)).json()) as any).writer;
}

async function outageRun(upOnly: boolean) {
  const pg = await startOwnPostgres();
  const dataDir = tempDir();
  const kalmia = await startKalmia({ DATABASE_URL: pg.url, KALMIA_DATA_DIR: dataDir });
  try {
    const up = await upload(kalmia.url, UP_SECONDS, 8, "up");
    say(`postgres up: ${up.perSecond} committed spans/s, ${JSON.stringify(up.statuses)}, latency p50 ${ms(up.latency.p50)} p99 ${ms(up.latency.p99)}; journal: ${JSON.stringify(spoolFiles(dataDir))}, journal_rows ${(await health(kalmia.url)).journal_rows}`);
    if (upOnly) return;

    await pg.pause();
    const down = await upload(kalmia.url, DOWN_SECONDS, 40, "down");
    const spool = spoolFiles(dataDir);
    const writer = await health(kalmia.url);
    say(`postgres down ${DOWN_SECONDS} s, 40 clients: ${JSON.stringify(down.statuses)}, latency p50 ${ms(down.latency.p50)} p99 ${ms(down.latency.p99)}; journal ${writer.journal_rows} rows in ${spool.files} segment(s), ${(spool.bytes / 1e6).toFixed(1)} MB (${Math.round(spool.bytes / Math.max(1, writer.journal_rows))} B/row)`);
    const stopStarted = performance.now();
    const code = await kalmia.stop("SIGTERM");
    const left = /kalmia: (\d+) rows left in the journal/.exec(kalmia.logs())?.[1];
    say(`SIGTERM with the database down: exit ${code} after ${((performance.now() - stopStarted) / 1000).toFixed(2)} s, ${left} rows left in the journal`);
    await pg.resume();
    const again = await startKalmia({ DATABASE_URL: pg.url, KALMIA_DATA_DIR: dataDir });
    const seconds = await untilJournalEmpty(again);
    say(`restart, database up: the outage's journal written in ${seconds.toFixed(2)} s after listening`);
    if (process.env.BENCH_LOGS) say(again.logs());
    await again.stop();
  } finally {
    await kalmia.stop();
    await pg.stop();
  }
}

async function appendCost() {
  const journal = await openJournal(tempDir());
  const entry = [{ project: "bench", source: "sdk" as const, rows: rows("a", ROWS_PER_REQUEST), traces: [] }];
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await journal.append(entry);
    alone.push(performance.now() - started);
  }
  const together: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      const sent = performance.now();
      await journal.append(entry);
      together.push(performance.now() - sent);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const a = summarize(alone);
  const t = summarize(together);
  say(`journal append of one ${ROWS_PER_REQUEST}-row entry (${Math.round(JSON.stringify(entry).length / 1024)} KB) + fsync, one at a time: p50 ${ms(a.p50)} p99 ${ms(a.p99)}; 200 at once (shared fsyncs): p50 ${ms(t.p50)} p99 ${ms(t.p99)}, ${Math.round((200 * ROWS_PER_REQUEST) / seconds)} rows/s`);
  await journal.close();
}

/** A journal as a stopped server leaves it, written with the server's own journal code. */
async function leaveJournal(dataDir: string) {
  const journal = await openJournal(join(dataDir, "spool"));
  for (let i = 0; i < RECOVERY_ROWS / ROWS_PER_REQUEST; i++) {
    await journal.append([{ project: "bench-recovery", source: "sdk", rows: rows(`r${i}`, ROWS_PER_REQUEST), traces: [] }]);
  }
  await journal.close();
  return spoolFiles(dataDir);
}

async function untilJournalEmpty(kalmia: RunningKalmia): Promise<number> {
  const started = performance.now();
  for (;;) {
    const writer = await health(kalmia.url);
    if (writer.journal_segments === 0 && writer.buffered_rows === 0) return (performance.now() - started) / 1000;
    await Bun.sleep(100);
  }
}

async function recovery(backend: "postgres" | "pglite") {
  const pg = backend === "postgres" ? await startOwnPostgres() : null;
  const dataDir = tempDir();
  const spool = await leaveJournal(dataDir);
  const spawned = performance.now();
  const kalmia = await startKalmia({ KALMIA_DATA_DIR: dataDir, ...(pg ? { DATABASE_URL: pg.url } : {}) });
  const listening = (performance.now() - spawned) / 1000;
  try {
    const drained = await untilJournalEmpty(kalmia);
    const experiments = ((await (await fetch(`${kalmia.url}/api/experiments`)).json()) as any).experiments;
    const tokens = Number(experiments.find((e: any) => e.project === "bench-recovery")?.total_tokens ?? 0);
    say(`${backend} recovery of ${RECOVERY_ROWS} rows (${spool.files} segments, ${(spool.bytes / 1e6).toFixed(0)} MB): listening ${listening.toFixed(2)} s after the start, journal empty ${drained.toFixed(2)} s later (${Math.round(RECOVERY_ROWS / drained)} rows/s); ${tokens / 120} of ${RECOVERY_ROWS} rows readable`);
  } finally {
    await kalmia.stop();
    await pg?.stop();
  }
}

say(`machine: ${machine()}; ${new Date().toISOString()}`);
const only = process.env.BENCH_ONLY;
// "up" runs phase 1 alone: the same load on a checkout without the journal gives the baseline.
if (!only || only === "outage" || only === "up") await outageRun(only === "up");
if (!only || only === "append") await appendCost();
if (!only || only === "recovery") {
  await recovery("postgres");
  if (!process.env.BENCH_NO_PGLITE) await recovery("pglite");
}
