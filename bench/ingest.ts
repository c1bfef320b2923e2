/**
 * Foundation benchmark (issue 2):
 *   1. committed spans per second through POST /api/v1/spans, ~2 KB rows;
 *   2. GET /api/v1/traces latency (newest 50, project + provider filter)
 *      with 1M spans stored.
 * On PGlite, and on Postgres when BENCH_DATABASE_URL is set.
 *   bun bench/ingest.ts            (PGlite)
 *   BENCH_DATABASE_URL=postgres://… bun bench/ingest.ts
 *   BENCH_ROLLUPS=compare [BENCH_DATABASE_URL=…] bun bench/ingest.ts   (with and without the overview's rollups)
 *   BENCH_URL=http://127.0.0.1:PORT bun bench/ingest.ts     (throughput only, of a running server)
 */
import postgres from "postgres";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { rows } from "./span-rows.ts";
import { machine, summarize } from "./stats.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROWS_PER_REQUEST = 200;
// BENCH_SPLIT=1: rows as the SDKs send them, a span's start row (model) in one request and its end
// row (usage) in the next, so that each span is priced against its stored start row.
const SPLIT = process.env.BENCH_SPLIT === "1";
const TOTAL_SPANS = Number(process.env.BENCH_SPANS ?? 1_000_000);

/** Half the request: start rows of batch `b`'s spans; the other half: end rows of batch `b - 1`'s. */
function splitRows(b: number) {
  const half = ROWS_PER_REQUEST / 2;
  const starts = rows(`t${b}`, half).map(({ metrics, output, ...r }) => ({ ...r, metrics: { start: metrics.start } }));
  const ends = b === 0 ? [] : rows(`t${b - 1}`, half).map((r) => ({ id: r.id, root_span_id: r.root_span_id, output: r.output, metrics: { end: r.metrics.end, prompt_tokens: 100, completion_tokens: 20 } }));
  return [...starts, ...ends];
}

async function throughput(url: string) {
  const deadline = performance.now() + SECONDS * 1000;
  let sent = 0;
  let batch = 0;
  const body = (b: number) => JSON.stringify({ project: "bench", rows: SPLIT ? splitRows(b) : rows(`t${b}`, ROWS_PER_REQUEST) });
  console.error(`row size ≈ ${Math.round(body(0).length / ROWS_PER_REQUEST)} bytes`);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      // Split rows: each worker's batches follow one another, so an end row comes after its start row.
      let own = 0;
      while (performance.now() < deadline) {
        const b = SPLIT ? worker * 1_000_000 + own++ : batch++;
        const response = await fetch(`${url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: body(b) });
        if (response.status !== 200) throw new Error(`spans answered ${response.status}`);
        sent += ROWS_PER_REQUEST;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { spans: sent, seconds, perSecond: Math.round(sent / seconds) };
}

/** Fills the spans table up to TOTAL_SPANS (10 spans a trace) straight in SQL. */
async function fillPostgres(databaseUrl: string, have: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [project] = await sql`select p.id as pid, e.id as eid from projects p join experiments e on e.project_id = p.id where p.name = 'bench'`;
  const want = TOTAL_SPANS - have;
  // One creation time for the filler: traces and spans share it as partition key.
  const [{ now }] = (await sql`select now() as now`) as unknown as [{ now: Date }];
  for (let done = 0; done < want; done += 100_000) {
    const n = Math.min(100_000, want - done);
    await sql`insert into traces (id, created_at, project_id, experiment_id, source, provider, model, status, start_time, span_count)
      select 'fill-' || (${done} + g) / 10, ${now}, ${project!.pid}, ${project!.eid}, 'sdk',
        case when g % 20 < 10 then 'openai' else 'anthropic' end, 'gpt-4o', 'ok', now(), 10
      from generate_series(0, ${n - 1}, 10) g on conflict do nothing`;
    await sql`insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, name, type, status, input, output, provider, model, start_time, end_time, prompt_tokens, completion_tokens, total_tokens)
      select 'fill-s-' || (${done} + g), 'fill-s-' || (${done} + g), 'fill-' || (${done} + g) / 10, ${now}, 'fill-' || (${done} + g) / 10,
        ${project!.pid}, 'chat', 'llm', 'ok', '[{"role":"user","content":"hello"}]'::jsonb, '"hi"'::jsonb, 'openai', 'gpt-4o', now(), now(), 100, 20, 120
      from generate_series(0, ${n - 1}) g`;
  }
  await sql`analyze`;
  await sql.end();
}

async function listLatency(url: string) {
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/traces?project=bench&provider=openai&limit=50`);
    const body = (await response.json()) as { traces: unknown[] };
    samples.push(performance.now() - started);
    if (body.traces.length !== 50) throw new Error(`list returned ${body.traces.length} traces`);
  }
  return summarize(samples.slice(20));
}

/** The plan of the list query, for docs/SCALING.md: it must stay on indexes. */
async function explainList(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [project] = await sql`select id from projects where name = 'bench'`;
  const plan = await sql.unsafe(
    `explain (analyze, costs off, timing off, summary off) select t.*, p.name from traces t join projects p on p.id = t.project_id
     where t.project_id = $1 and t.provider = 'openai' order by t.seq desc limit 51`,
    [project!.id],
  );
  console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
  await sql.end();
}

/**
 * BENCH_ROLLUPS=compare (issue 21): ingest with the overview's rollups kept and without
 * (KALMIA_BENCH_NO_ROLLUPS=1), in one run: two servers, rounds taken in turn (on, off, off, on, …)
 * so that the database's growth and the machine's other load fall on both alike.
 */
async function compareRollups(databaseUrl: string | undefined) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const env = (extra: Record<string, string>) => ({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...extra });
  const servers = { on: await startKalmia(env({})), off: await startKalmia(env({ KALMIA_BENCH_NO_ROLLUPS: "1" })) };
  const results: Record<"on" | "off", number[]> = { on: [], off: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        const t = await throughput(servers[which].url);
        results[which].push(t.perSecond);
        console.log(`round ${r + 1}, rollups ${which}: ${t.perSecond} committed spans/s`);
      }
    }
  } finally {
    await Promise.all([servers.on.stop(), servers.off.stop()]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [on, off] = [median(results.on), median(results.off)];
  console.log(`${databaseUrl ? "postgres" : "pglite"}: median with rollups ${on}/s, without ${off}/s: ${(((on - off) / off) * 100).toFixed(1)}%`);
  console.log(`machine: ${machine()}`);
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (process.env.BENCH_ROLLUPS === "compare") {
  await compareRollups(databaseUrl);
  process.exit(0);
}
// BENCH_URL: only the throughput, against a server already running (an A/B of two checkouts, one
// run with a profiler attached).
if (process.env.BENCH_URL) {
  const t = await throughput(process.env.BENCH_URL);
  console.log(`${process.env.BENCH_URL}: ${t.perSecond} committed spans/s (${t.spans} spans in ${t.seconds.toFixed(1)} s, concurrency ${CONCURRENCY}, ${ROWS_PER_REQUEST} rows/request), ${machine()}`);
  process.exit(0);
}
const server = await startKalmia(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
try {
  const t = await throughput(server.url);
  console.log(`${databaseUrl ? "postgres" : "pglite"}${SPLIT ? " (split start/end rows)" : ""}: ${t.perSecond} committed ${SPLIT ? "span rows" : "spans"}/s (${t.spans} spans in ${t.seconds.toFixed(1)} s, concurrency ${CONCURRENCY}, ${ROWS_PER_REQUEST} rows/request)`);
  if (databaseUrl) await fillPostgres(databaseUrl, t.spans);
  else {
    // PGlite has no second connection to fill through: the same HTTP path, bigger batches.
    let have = t.spans;
    let b = 1e6;
    while (have < TOTAL_SPANS) {
      const body = JSON.stringify({ project: "bench", rows: rows(`f${b++}`, 5_000).map((r) => ({ ...r, input: "hello" })) });
      const response = await fetch(`${server.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body });
      if (response.status !== 200) throw new Error(`fill answered ${response.status}`);
      have += 5_000;
    }
  }
  const l = await listLatency(server.url);
  if (databaseUrl) await explainList(databaseUrl);
  console.log(`list newest 50 (project+provider) at ${TOTAL_SPANS} spans: p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
  console.log(`machine: ${machine()}`);
} finally {
  await server.stop();
}
