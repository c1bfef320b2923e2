/**
 * The overview (issue 21): GET /api/v1/stats's query, timed in-process on a seeded store.
 *   BENCH_DATABASE_URL=postgres://…/db BENCH_SPANS=10000000 bun bench/overview.ts   (30 days, 10 spans a trace)
 *   BENCH_SPANS=1000000 bun bench/overview.ts                                        (PGlite)
 * Seeds traces (start times spread over 30 days, 4 model families, a log-normal-ish duration), their spans
 * (lean rows: the overview never reads spans, they are there for the store's size) and their rollups,
 * through the writer's own rollup statement (db/write/rollups.ts); then times the overview of the last
 * 30 days, 7 days and 24 hours, grouped by model, from the rollups, and the 24 h one from the traces.
 */
import { sql } from "drizzle-orm";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "../db/connect/open.ts";
import { createPartitionKeeper } from "../db/connect/partitions.ts";
import { autoBucket, stats, type StatsSource } from "../db/query/stats.ts";
import { rollupUpsert } from "../db/write/rollups.ts";
import { machine, summarize } from "./stats.ts";

const SPANS = Number(process.env.BENCH_SPANS ?? 1_000_000);
const SPANS_PER_TRACE = 10;
const CHUNK = 50_000; // traces a seeding statement
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const DAY = 86_400_000;

async function seed(database: Database) {
  const traces = Math.floor(SPANS / SPANS_PER_TRACE);
  const [{ n }] = await database.rows<{ n: number }>(sql`select count(*)::int as n from traces where project_id = 'bench-p'`);
  if (n >= traces) return console.log(`already seeded: ${n} traces`);
  await database.rows(sql`insert into projects (id, name) values ('bench-p', 'bench') on conflict do nothing`);
  await database.rows(sql`insert into experiments (id, project_id, name) values ('bench-e', 'bench-p', 'bench') on conflict do nothing`);
  const started = performance.now();
  for (let from = n; from < traces; from += CHUNK) {
    const to = Math.min(traces, from + CHUNK) - 1;
    await database.rows(sql`insert into traces (id, created_at, project_id, experiment_id, source, provider, model, model_family, status,
        start_time, end_time, duration_ms, ttft_ms, prompt_tokens, completion_tokens, total_tokens, cost_usd, span_count, error_count)
      select 'b-' || g, date_trunc('hour', now()), 'bench-p', 'bench-e', 'sdk',
        (array['openai', 'openai', 'anthropic', 'anthropic'])[g % 4 + 1], (array['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-3-5-haiku'])[g % 4 + 1],
        (array['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-3-5-haiku'])[g % 4 + 1],
        case when g % 37 = 0 then 'error' else 'ok' end,
        st, st + d * interval '1 millisecond', d, d / 5, 500 + g % 300, 50 + g % 200, 550 + g % 300 + g % 200, (g % 100) / 10000.0, ${SPANS_PER_TRACE}, 0
      from generate_series(${from}::int, ${to}::int) g,
        lateral (select now() - (g::float8 / ${traces}) * interval '30 days' as st, 20 * exp(((g::bigint * 7919) % 1000) / 150.0) as d) x`);
    await database.rows(sql`insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, name, type, status, start_time, end_time)
      select 's-' || g || '-' || k, 's-' || g || '-' || k, 'b-' || g, date_trunc('hour', now()), 'b-' || g, 'bench-p', 'step', 'task', 'ok', now(), now()
      from generate_series(${from}::int, ${to}::int) g, generate_series(1, ${SPANS_PER_TRACE}) k`);
    // Statistics of the rows just made: without them the rollup statement ran minutes a chunk on PostgreSQL.
    await database.rows(sql`analyze traces`);
    await database.rows(
      rollupUpsert(
        sql`(select t.*, false as had, null::timestamptz as o_start_time, null::text as o_model_family, null::text as o_provider,
          null::text as o_status, null::float8 as o_duration_ms, null::float8 as o_ttft_ms, null::bigint as o_prompt_tokens,
          null::bigint as o_completion_tokens, null::float8 as o_cost_usd
          from generate_series(${from}::int, ${to}::int) g
          -- One index lookup a trace (offset 0: not a join the planner may cost from the fresh partition's empty statistics).
          cross join lateral (select * from traces t where t.project_id = 'bench-p' and t.id = 'b-' || g offset 0) t)`,
        sql`trace_rollups`,
      ),
    );
    if ((to + 1) % 200_000 < CHUNK) console.log(`seeded ${(to + 1).toLocaleString()} traces, ${((to + 1) * SPANS_PER_TRACE).toLocaleString()} spans, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await database.rows(sql`analyze`);
}

async function time(database: Database, label: string, windowMs: number, source?: StatsSource) {
  const until = new Date();
  const since = new Date(until.getTime() - windowMs);
  const query = { projectId: "bench-p", since, until, bucket: autoBucket(windowMs), groupBy: "model" as const, source };
  const first = await stats(database, query);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await stats(database, query);
    samples.push(performance.now() - t0);
  }
  const s = summarize(samples);
  console.log(`${label} (bucket ${first.bucket}, ${first.source}, ${first.series.length} series × ${first.series[0]?.points.length} points, ${first.totals.traces.toLocaleString()} traces): p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`);
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
const database = await openDatabase({ databaseUrl, dataDir: process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), "kalmia-overview-")) });
await createPartitionKeeper({ database }).maintain();
try {
  await seed(database);
  const [{ rollups }] = await database.rows<{ rollups: number }>(sql`select count(*)::int as rollups from trace_rollups where project_id = 'bench-p'`);
  console.log(`${databaseUrl ? "postgres" : "pglite"}, ${SPANS.toLocaleString()} spans, ${(SPANS / SPANS_PER_TRACE).toLocaleString()} traces over 30 days, ${rollups.toLocaleString()} rollup rows`);
  await time(database, "30 d overview, group_by=model", 30 * DAY);
  await time(database, "30 d overview from the traces (exact)", 30 * DAY, "exact");
  await time(database, "7 d overview, group_by=model", 7 * DAY);
  await time(database, "7 d overview from the traces (exact)", 7 * DAY, "exact");
  await time(database, "24 h overview, group_by=model", DAY, "rollups");
  await time(database, "24 h overview from the traces (exact)", DAY, "exact");
  await time(database, "1 h overview, group_by=model", DAY / 24);
  console.log(`machine: ${machine()}`);
} finally {
  await database.close();
}
