/**
 * Users, sessions, tags and metadata on Postgres (issue 22): `user=` and `metadata.tenant=` with a
 * project over 7 days, the sessions list, and one 200-turn session, timed through the API on a real
 * server process, over traces and spans made straight in SQL (generate_series): ~10 spans a trace,
 * 20 projects, 30 days; 5,000 users, sessions of 5 turns, 200 tenants, and one session of 200 turns.
 *
 *   BENCH_DATABASE_URL=postgres://…/cbench bun bench/context.ts [--spans 1000000] [--runs 60]
 *
 * The fill is skipped when the database already holds the spans asked for.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { fillInChunks, makeDayPartitions } from "./bulk-fill.ts";
import { runOnPostgres } from "./run-on-postgres.ts";
import { summarize } from "./stats.ts";

const { values } = parseArgs({
  options: { spans: { type: "string", default: "1000000" }, runs: { type: "string", default: "60" } },
});

const PROJECTS = 20;
const DAYS = 30;
const SPANS_PER_TRACE = 10;
const TURNS = 5;
const LONG_SESSION = "long-session";
const LONG_TURNS = 200;


/**
 * Traces lo..hi-1 and their spans. Trace g: project g % 20; session g / 5 of its project (5 turns a
 * minute apart); user h % 5000; tenant h % 200; tags by h; the first 200 traces of project 0 are one
 * long session.
 */
async function fillChunk(sql: postgres.Sql, lo: number, hi: number, now: string) {
  const perTrace = sql`
    select g, h, 'bp' || (g % ${PROJECTS}) as project_id,
      case when g < ${LONG_TURNS * PROJECTS} and g % ${PROJECTS} = 0 then ${LONG_SESSION}
        else 's-' || (g / ${PROJECTS * TURNS}) end as session_id,
      'user-' || (h % 5000) as user_id,
      array['v' || (h % 4)] || case when h % 10 = 0 then array['vip'] else array[]::text[] end as tags,
      jsonb_build_object('tenant', 't' || (h % 200), 'plan', jsonb_build_object('tier', (array['free','pro','team'])[1 + h % 3]),
        'provider', 'openai', 'model', 'gpt-4o') as metadata,
      case when h % 50 = 0 then 'error' else 'ok' end as status,
      date_trunc('milliseconds', ${now}::timestamptz
        - (((hashint4(g / ${PROJECTS * TURNS} + 1) & 2147483647) % (${DAYS}::bigint * 86400000)) * interval '1 ms')
        + ((g / ${PROJECTS}) % ${TURNS}) * interval '1 minute') as st,
      (hashint4(g + 2) & 2147483647) % 20000 + 50 as dur,
      (hashint4(g + 3) & 2147483647) % 2000 as pt, (hashint4(g + 4) & 2147483647) % 400 as ct
    from (select g, (hashint4(g) & 2147483647) as h from generate_series(${lo}::int, ${hi - 1}::int) g) s`;
  await sql`
    insert into traces (id, created_at, project_id, experiment_id, source, name, provider, model, status, error_count,
      start_time, end_time, duration_ms, prompt_tokens, completion_tokens, total_tokens, cost_usd, span_count, input, output,
      metadata, user_id, session_id, tags)
    select 'ct-' || g, least(st, ${now}::timestamptz), project_id, 'be' || (g % ${PROJECTS}), 'sdk', 'turn ' || g, 'openai', 'gpt-4o', status,
      (status = 'error')::int, st, st + dur * interval '1 ms', dur, pt, ct, pt + ct, (pt * 2.5 + ct * 10) / 1e6, ${SPANS_PER_TRACE},
      jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'question ' || g)), to_jsonb('answer ' || g),
      metadata, user_id, session_id, tags
    from (${perTrace}) t`;
  await sql`
    insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, span_parents, name, type, status,
      input, output, metadata, provider, model, start_time, end_time, user_id, session_id, tags)
    select 'cs-' || g || '-' || k, 'cs-' || g || '-' || k, 'ct-' || g, least(st, ${now}::timestamptz), 'ct-' || g, project_id,
      case when k = 0 then '[]'::jsonb else jsonb_build_array('cs-' || g || '-0') end,
      case when k = 0 then 'turn' else 'step' end, case when k = 0 then 'task' else 'llm' end, 'ok',
      to_jsonb('step ' || k || ' of ' || g || ' ' || md5(g::text || k)), to_jsonb(md5(k::text || g)),
      case when k = 0 then metadata end, 'openai', 'gpt-4o', st + k * interval '10 ms', st + (k + 1) * interval '10 ms',
      case when k = 0 then user_id end, case when k = 0 then session_id end, case when k = 0 then tags end
    from (${perTrace}) t cross join generate_series(0, ${SPANS_PER_TRACE - 1}) k`;
}

async function fill(databaseUrl: string, spans: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = (await sql`select count(*)::int as n from spans where id like 'cs-%'`) as unknown as [{ n: number }];
    if (n >= spans) return console.error(`already ${n} spans: no fill`);
    await sql`insert into projects (id, name) select 'bp' || p, 'bench-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await sql`insert into experiments (id, project_id, name) select 'be' || p, 'bp' || p, 'bench-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await makeDayPartitions(sql, DAYS);
    await fillInChunks(n, spans, SPANS_PER_TRACE, (lo, hi, now) => fillChunk(sql, lo, hi, now));
    await sql`vacuum analyze traces`;
    await sql`vacuum analyze spans`;
  } finally {
    await sql.end();
  }
}

async function timed(url: string, runs: number, path: (i: number) => string, count: (body: any) => number) {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 5; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${path(i)}`);
    const body = await response.json();
    if (response.status !== 200) throw new Error(`${path(i)} answered ${response.status}: ${JSON.stringify(body)}`);
    if (i >= 5) {
      samples.push(performance.now() - started);
      rows += count(body);
    }
  }
  return { ...summarize(samples), meanRows: Math.round(rows / runs) };
}

async function queries(url: string, runs: number) {
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const project = (i: number) => `bench-${i % PROJECTS}`;
  const traces = (body: any) => body.traces.length;
  const cases: [string, (i: number) => string, (body: any) => number][] = [
    // The same request without a context filter: what the server and the machine cost any list call.
    ["baseline: project, 7 days, no context filter (newest 50 + total)", (i) => `/api/v1/traces?project=${project(i)}&since=${weekAgo}&limit=50`, traces],
    ["user=, project, 7 days (newest 50 + total)", (i) => `/api/v1/traces?project=${project(i)}&user=user-${(i * 37) % 5000}&since=${weekAgo}&limit=50`, traces],
    ["metadata.tenant=, project, 7 days (newest 50 + total)", (i) => `/api/v1/traces?project=${project(i)}&metadata.tenant=t${(i * 13) % 200}&since=${weekAgo}&limit=50`, traces],
    ["metadata.plan.tier= + tag=vip, project, 7 days", (i) => `/api/v1/traces?project=${project(i)}&metadata.plan.tier=team&tag=vip&since=${weekAgo}&limit=50`, traces],
    ["sessions list, project (newest activity, 50)", (i) => `/api/v1/sessions?project=${project(i)}&limit=50`, (b) => b.sessions.length],
    [`one ${LONG_TURNS}-turn session`, () => `/api/v1/sessions/${LONG_SESSION}?project=bench-0`, (b) => b.traces.length],
    ["users, project, by cost", (i) => `/api/v1/users?project=${project(i)}&sort=cost_usd&limit=50`, (b) => b.users.length],
    ["facets (users, tags, metadata keys), project, 7 days", (i) => `/api/v1/facets?project=${project(i)}&since=${weekAgo}`, (b) => b.users.length],
  ];
  for (const [name, path, count] of cases) {
    const r = await timed(url, runs, path, count);
    console.log(`| ${name} | ${r.p50.toFixed(1)} | **${r.p95.toFixed(1)}** | ${r.p99.toFixed(1)} | ${r.meanRows} |`);
  }
}

await runOnPostgres({
  spans: Number(values.spans),
  header: "| query | p50 ms | p95 ms | p99 ms | rows |\n|---|---|---|---|---|",
  fill,
  queries: (url) => queries(url, Number(values.runs)),
});
