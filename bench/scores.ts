/**
 * Scores on Postgres (issue 23): the trace list filtered by a score, timed through GET /api/v1/traces on
 * a real server process over 1M traces with 3 scores each (made straight in SQL: generate_series), and
 * score posts a second through POST /api/v1/scores, one score a request and 100 a request.
 *
 *   BENCH_DATABASE_URL=postgres://…/bench bun bench/scores.ts [--traces 1000000] [--runs 60] [--seconds 15]
 *
 * The fill is skipped when the database already holds the traces asked for. Traces: 20 projects, 30
 * days; scores: accuracy (uniform 0–1), relevance (uniform 0–1) and user_feedback (0 or 1, a third 0).
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { makeDayPartitions } from "./bulk-fill.ts";
import { timed } from "./list-timing.ts";
import { machine } from "./stats.ts";

const { values } = parseArgs({
  options: {
    traces: { type: "string", default: "1000000" },
    runs: { type: "string", default: "60" },
    seconds: { type: "string", default: "15" },
  },
});

const PROJECTS = 20;
const DAYS = 30;
const CHUNK = 100_000;


/** Traces lo..hi-1 (no spans: the list reads traces) and their three scores, each computed from g alone. */
async function fillChunk(sql: postgres.Sql, lo: number, hi: number, now: string) {
  const perTrace = sql`
    select g, 'sp' || (g % ${PROJECTS}) as project_id,
      date_trunc('milliseconds', ${now}::timestamptz - ((hashint4(g + 1) & 2147483647) % (${DAYS}::bigint * 86400000)) * interval '1 ms') as st
    from generate_series(${lo}::int, ${hi - 1}::int) g`;
  await sql`
    insert into traces (id, created_at, project_id, experiment_id, source, name, status, start_time, end_time, duration_ms, span_count)
    select 'st-' || g, st, project_id, 'se' || (g % ${PROJECTS}), 'sdk', 'agent run ' || g, 'ok', st, st + interval '2 s', 2000, 1
    from (${perTrace}) t`;
  await sql`
    insert into scores (id, project_id, trace_id, name, value, source, created_at, updated_at)
    select 'sc-' || g || '-' || n, project_id, 'st-' || g, n,
      case n when 'user_feedback' then ((hashint4(g + 7) & 2147483647) % 3 > 0)::int
        else ((hashint4(g * 3 + length(n)) & 2147483647) % 1000000) / 1e6 end,
      case n when 'user_feedback' then 'ui' else 'api' end, st + interval '1 minute', st + interval '1 minute'
    from (${perTrace}) t cross join unnest(array['accuracy', 'relevance', 'user_feedback']) n`;
}

async function fill(databaseUrl: string, traces: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = (await sql`select count(*)::int as n from traces where id like 'st-%'`) as unknown as [{ n: number }];
    if (n >= traces) return console.error(`already ${n} traces: no fill`);
    await sql`insert into projects (id, name) select 'sp' || p, 'scored-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await sql`insert into experiments (id, project_id, name) select 'se' || p, 'sp' || p, 'scored-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await makeDayPartitions(sql, DAYS);
    const started = performance.now();
    const now = new Date().toISOString();
    for (let lo = n; lo < traces; lo += CHUNK) {
      await fillChunk(sql, lo, Math.min(traces, lo + CHUNK), now);
      console.error(`filled ${Math.min(traces, lo + CHUNK)} traces (×3 scores), ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await sql`vacuum analyze traces`;
    await sql`vacuum analyze scores`;
  } finally {
    await sql.end();
  }
}


async function listQueries(url: string, runs: number) {
  const project = (i: number) => `scored-${i % PROJECTS}`;
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const cases: [string, (i: number) => string][] = [
    ["newest 50, project, no score filter (means on the page)", (i) => `/api/v1/traces?project=${project(i)}&limit=50`],
    ["newest 50, project, user_feedback ≤ 0 (a third)", (i) => `/api/v1/traces?project=${project(i)}&score_name=user_feedback&score_max=0&limit=50`],
    ["newest 50, project, accuracy ≥ 0.9 (10%)", (i) => `/api/v1/traces?project=${project(i)}&score_name=accuracy&score_min=0.9&limit=50`],
    ["newest 50, project, accuracy ≥ 0.99 (1%)", (i) => `/api/v1/traces?project=${project(i)}&score_name=accuracy&score_min=0.99&limit=50`],
    ["newest 50, all projects, accuracy ≥ 0.9", () => `/api/v1/traces?score_name=accuracy&score_min=0.9&limit=50`],
    ["newest 50, all projects, accuracy ≥ 0.99 (1%)", () => `/api/v1/traces?score_name=accuracy&score_min=0.99&limit=50`],
    ["newest 50, all projects, user_feedback ≤ 0 (a third: total estimated)", () => `/api/v1/traces?score_name=user_feedback&score_max=0&limit=50`],
    ["newest 50, all projects, 7 days, accuracy ≥ 0.9 (count reads traces)", () => `/api/v1/traces?since=${weekAgo}&score_name=accuracy&score_min=0.9&limit=50`],
    ["newest 50, project, 7 days, relevance 0.4–0.6", (i) => `/api/v1/traces?project=${project(i)}&since=${weekAgo}&score_name=relevance&score_min=0.4&score_max=0.6&limit=50`],
  ];
  for (const [name, path] of cases) {
    const r = await timed(url, runs, path);
    console.log(`| ${name} | ${r.p50.toFixed(1)} | **${r.p95.toFixed(1)}** | ${r.p99.toFixed(1)} | ${r.meanRows} | ${r.meanTotal.toLocaleString("en-US")} |`);
  }
}

/** Stored scores a second: `clients` posting `perRequest` scores a request, each answered 200 (committed). */
async function posts(url: string, seconds: number, clients: number, perRequest: number) {
  let sent = 0;
  let request = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const r = request++;
        const items = Array.from({ length: perRequest }, (_, i) => ({
          trace_id: `st-${(r * perRequest + i) % 1_000_000}`, project: `scored-${r % PROJECTS}`, name: "bench_posted", value: (i % 10) / 10, comment: "benchmark",
        }));
        const response = await fetch(`${url}/api/v1/scores`, {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(perRequest === 1 ? items[0] : items),
        });
        if (response.status !== 200) throw new Error(`scores answered ${response.status}: ${await response.text()}`);
        sent += perRequest;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(`| ${clients} clients × ${perRequest} score${perRequest === 1 ? "" : "s"} a request | ${Math.round(sent / elapsed).toLocaleString("en-US")} scores/s | ${Math.round(request / elapsed).toLocaleString("en-US")} requests/s | ${sent.toLocaleString("en-US")} in ${elapsed.toFixed(1)} s |`);
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error("BENCH_DATABASE_URL: this benchmark runs on Postgres");
// Started first: its migrations make the tables the fill writes to.
const server = await startKalmia({ DATABASE_URL: databaseUrl });
try {
  await fill(databaseUrl, Number(values.traces));
  console.log(`${new Date().toISOString()}, ${values.traces} traces × 3 scores, ${machine()}`);
  console.log("| list query | p50 ms | p95 ms | p99 ms | rows | total |\n|---|---|---|---|---|---|");
  await listQueries(server.url, Number(values.runs));
  console.log("\n| score posts (POST /api/v1/scores, each answered 200) | scores/s | requests/s | posted |\n|---|---|---|---|");
  const seconds = Number(values.seconds);
  await posts(server.url, seconds, 32, 1);
  await posts(server.url, seconds, 8, 100);
} finally {
  await server.stop();
}
