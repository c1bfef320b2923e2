/**
 * The heavy run of the fault suite (issue 7): 2,000 proxied calls at
 * concurrency 50, half streamed, with the database down for 10 s midway —
 * Postgres stopped and restarted, and PGlite made to fail in-process.
 *   bun bench/faults.ts
 */
import postgres from "postgres";
import { startFakeUpstream } from "../test/fake-upstream/start-fake-upstream.ts";
import { proxyLoad, waitForDrain } from "../test/faults/proxy-load.ts";
import { startInProcess } from "../test/harness/in-process.ts";
import { startOwnPostgres } from "../test/harness/own-postgres.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { abortAfterFirstChunk } from "../test/faults/abort-load.ts";
import { machine, summarize } from "./stats.ts";

const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const CONCURRENCY = 50;
const DOWN_MS = 10_000;

const upstream = await startFakeUpstream();

async function postgresRun() {
  const pg = await startOwnPostgres();
  const kalmia = await startKalmia({ DATABASE_URL: pg.url, OPENAI_BASE_URL: `${upstream.url}/v1` });
  const started = performance.now();
  const load = proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: CALLS, concurrency: CONCURRENCY, project: "bench-faults" });
  await Bun.sleep(1_000);
  await pg.pause();
  await Bun.sleep(DOWN_MS);
  await pg.resume();
  const result = await load;
  const writer = await waitForDrain(kalmia.url, 120_000);
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  const [row] = await sql`select count(*)::int as spans, count(distinct s.id)::int as distinct_spans, count(distinct s.trace_id)::int as traces
    from spans s join projects p on p.id = s.project_id where p.name = 'bench-faults'`;
  await sql.end();
  await kalmia.stop();
  await pg.stop();
  return { result, writer, stored: row!.spans, distinct: row!.distinct_spans, traces: row!.traces, seconds: (performance.now() - started) / 1000 };
}

async function pgliteRun() {
  const kalmia = await startInProcess({ OPENAI_BASE_URL: `${upstream.url}/v1` });
  const client = kalmia.store.database.client as { transaction: (...args: unknown[]) => Promise<unknown> };
  const real = client.transaction.bind(client);
  const started = performance.now();
  const load = proxyLoad({ kalmiaUrl: kalmia.url, upstreamUrl: upstream.url, calls: CALLS, concurrency: CONCURRENCY, project: "bench-faults" });
  await Bun.sleep(1_000);
  client.transaction = async () => {
    throw Object.assign(new Error("connection lost (injected fault)"), { code: "08006" });
  };
  await Bun.sleep(DOWN_MS);
  client.transaction = real;
  const result = await load;
  const writer = await waitForDrain(kalmia.url, 120_000);
  const [row] = await kalmia.store.database.rows<{ spans: number; distinct_spans: number; traces: number }>(
    (await import("drizzle-orm")).sql`select count(*)::int as spans, count(distinct s.id)::int as distinct_spans, count(distinct s.trace_id)::int as traces
      from spans s join projects p on p.id = s.project_id where p.name = 'bench-faults'`,
  );
  await kalmia.stop();
  return { result, writer, stored: Number(row!.spans), distinct: Number(row!.distinct_spans), traces: Number(row!.traces), seconds: (performance.now() - started) / 1000 };
}

const only = process.env.BENCH_ONLY;
for (const [name, run] of [["postgres", postgresRun], ["pglite", pgliteRun]] as const) {
  if (only && only !== name) continue;
  const r = await run();
  const lost = CALLS - r.writer.proxy_dropped_rows - r.stored;
  console.log(
    `${name}: ${r.result.calls} calls, DB down ${DOWN_MS / 1000} s: ${r.result.failed} failed, ${r.result.altered} altered, ` +
      `${r.stored} spans stored (${r.writer.proxy_dropped_rows} counted drops, ${lost} lost, ${r.stored - r.distinct} duplicated, ` +
      `${r.traces} traces), ${r.writer.retries} write retries, ${r.seconds.toFixed(1)} s`,
  );
}
{
  // Issue 7, fault 5: callers that leave after the first chunk.
  const kalmia = await startInProcess({ OPENAI_BASE_URL: `${upstream.url}/v1` });
  const run = await abortAfterFirstChunk(kalmia.url, upstream, 200, "bench-aborts");
  const close = summarize(run.closeMs);
  console.log(
    `aborts: ${run.calls} streamed calls abandoned after the first chunk: ${run.upstreamClosed} upstream requests closed; ` +
      `caller gone → upstream closed p50 ${close.p50} ms, p99 ${close.p99} ms, max ${Math.max(...run.closeMs)} ms`,
  );
  await kalmia.stop();
}
console.log(`machine: ${machine()}`);
await upstream.stop();
