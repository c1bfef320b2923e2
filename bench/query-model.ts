/**
 * The list's query model on Postgres (issue 20): newest 50 with filters, sorts within a project over
 * 7 days, the count of matches, and text search, timed through GET /api/v1/traces on a real server
 * process, over traces and spans made straight in SQL (generate_series), ~10 spans a trace, 20
 * projects, 30 days.
 *
 *   BENCH_DATABASE_URL=postgres://…/bench bun bench/query-model.ts [--spans 1000000] [--runs 60] [--no-search] [--only q=]
 *   bun bench/query-model.ts ingest --url http://127.0.0.1:PORT [--seconds 15] [--drain]   # throughput of a running server
 *
 * The fill is skipped when the database already holds the spans asked for, so a second run on the
 * same database measures again without refilling. `ingest` posts varied text (what the search index
 * pays for) to a server already running, so the same load can be sent to this checkout and an older one;
 * on a server with the search indexer it also reports the indexer's rate and lag.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { timed } from "./list-timing.ts";
import { machine } from "./stats.ts";
import { fillInChunks, makeDayPartitions } from "./bulk-fill.ts";
import { runOnPostgres } from "./run-on-postgres.ts";
import { summarize } from "./stats.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    spans: { type: "string", default: "1000000" },
    runs: { type: "string", default: "60" },
    url: { type: "string" },
    seconds: { type: "string", default: "15" },
    // Leave out the q cases, and the search text and index from the fill (they take ~4 min per
    // 400,000 spans on this machine).
    "no-search": { type: "boolean", default: false },
    // Only the cases whose name holds this text (`--only q=` for the searches).
    only: { type: "string" },
    // With `ingest`: wait until the search indexer has caught up, and say how fast it did.
    drain: { type: "boolean", default: false },
  },
});

// As migration 0005 makes it; span_search is what the search indexer (db/write/search-indexer.ts) fills.
const SEARCH_INDEX = `create index if not exists span_search_text on span_search using gin (text gin_trgm_ops)`;
const PROJECTS = 20;
const DAYS = 30;
const SPANS_PER_TRACE = 10;
// One span in a thousand says it; the search looks for it.
const RARE_WORD = "zanzibar";
const WORDS = ["invoice", "weather", "refund", "contract", "summary", "section", "travel", "policy", "ticket", "schema",
  "report", "deadline", "customer", "payment", "archive", "session", "budget", "forecast", "release", "backlog"];


/**
 * Traces lo..hi-1 and their spans. Trace g: project g % 20, a start in the last 30 days, 2% with a
 * failed root (and two failed steps), 8% more with one failed step only, 10% unpriced; its spans
 * carry varied text. Both statements compute a trace's values from g alone, the same way.
 */
async function fillChunk(sql: postgres.Sql, lo: number, hi: number, now: string) {
  const words = sql.array(WORDS);
  const word = (offset: string) => sql`(${words}::text[])[1 + (${sql.unsafe(offset)}) % 20]`;
  const perTrace = sql`
    select g, h, 'bp' || (g % ${PROJECTS}) as project_id,
      case when h % 3 = 0 then 'anthropic' else 'openai' end as provider,
      (array['gpt-4o','gpt-4o-mini','claude-sonnet-4','claude-haiku-4','gpt-4.1','o3'])[1 + h % 6] as model,
      case when h % 50 = 0 then 'error' else 'ok' end as status,
      case when h % 50 = 0 then 2 when h % 12 = 0 then 1 else 0 end as failed_steps,
      date_trunc('milliseconds', ${now}::timestamptz - ((hashint4(g + 1) & 2147483647) % (${DAYS}::bigint * 86400000)) * interval '1 ms') as st,
      (hashint4(g + 2) & 2147483647) % 120000 + 50 as dur,
      (hashint4(g + 3) & 2147483647) % 20000 as pt, (hashint4(g + 4) & 2147483647) % 4000 as ct
    from (select g, (hashint4(g) & 2147483647) as h from generate_series(${lo}::int, ${hi - 1}::int) g) s`;
  await sql`
    insert into traces (id, created_at, project_id, experiment_id, source, name, provider, model, status, error_count,
      start_time, end_time, duration_ms, prompt_tokens, completion_tokens, total_tokens, cost_usd, span_count, input, output)
    select 'bt-' || g, st, project_id, 'be' || (g % ${PROJECTS}), 'sdk', 'agent run ' || g, provider, model, status,
      failed_steps + (status = 'error')::int, st, st + dur * interval '1 ms', dur, pt, ct, pt + ct,
      case when h % 10 = 0 then null else (pt * 2.5 + ct * 10) / 1e6 end, ${SPANS_PER_TRACE},
      to_jsonb('run ' || g || ' ' || ${word("h")}), to_jsonb('done'::text)
    from (${perTrace}) t`;
  await sql`
    insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, span_parents, name, type, status,
      input, output, metadata, provider, model, start_time, end_time, prompt_tokens, completion_tokens, total_tokens)
    select 'bs-' || g || '-' || k, 'bs-' || g || '-' || k, 'bt-' || g, st, 'bt-' || g, project_id,
      case when k = 0 then '[]'::jsonb else jsonb_build_array('bs-' || g || '-0') end,
      case when k = 0 then 'agent' when k % 2 = 1 then 'chat' else 'fetch page' end,
      case when k = 0 then 'task' when k % 2 = 1 then 'llm' else 'tool' end,
      case when k = 0 then status when k <= failed_steps then 'error' else 'ok' end,
      jsonb_build_array(jsonb_build_object('role', 'user', 'content',
        'step ' || k || ' of run ' || g || ': ' || ${word("h + k")} || ' ' || ${word("h / 7 + k")}
        || ' ' || md5(g::text || k) || ' ' || ${word("h / 49 + k")})),
      to_jsonb(${word("h / 3 + k")} || ' ' || md5(k::text || g) || ' ' || ${word("h / 11 + k")}
        || case when (hashint4(g * 10 + k) & 2147483647) % 1000 = 0 then ' ' || ${RARE_WORD}::text || ' ' else '' end),
      jsonb_build_object('provider', provider, 'model', model, 'customer', 'c' || (h % 500)),
      provider, model, st + k * interval '10 ms', st + (k + 1) * interval '10 ms',
      case when k % 2 = 1 then pt / 5 end, case when k % 2 = 1 then ct / 5 end, case when k % 2 = 1 then (pt + ct) / 5 end
    from (${perTrace}) t cross join generate_series(0, ${SPANS_PER_TRACE - 1}) k`;
}

async function fill(databaseUrl: string, spans: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = (await sql`select count(*)::int as n from spans where id like 'bs-%'`) as unknown as [{ n: number }];
    if (n >= spans) return console.error(`already ${n} spans: no fill${values["no-search"] ? "" : " (and no search index built here)"}`);
    await sql`insert into projects (id, name) select 'bp' || p, 'bench-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await sql`insert into experiments (id, project_id, name) select 'be' || p, 'bp' || p, 'bench-' || p from generate_series(0, ${PROJECTS - 1}) p on conflict do nothing`;
    await makeDayPartitions(sql, DAYS);
    // The search text is copied and indexed once after the rows: a bulk load, not the indexer's path (see `ingest`).
    await sql`drop index if exists span_search_text`;
    await fillInChunks(n, spans, SPANS_PER_TRACE, (lo, hi, now) => fillChunk(sql, lo, hi, now));
    // --no-search: no search text either (at 10M spans it takes the better part of an hour and ~10 GB).
    if (!values["no-search"]) {
      const indexStarted = performance.now();
      await sql`insert into span_search (trace_id, span_id, trace_created_at, project_id, text)
        select trace_id, id, trace_created_at, project_id, span_search_text(name, input, output, error, metadata) from spans
        where id like 'bs-%' on conflict do nothing`;
      await sql.unsafe(`set maintenance_work_mem = '512MB'; ${SEARCH_INDEX}`);
      console.error(`search index built in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
    }
    await sql`vacuum analyze traces`;
    await sql`vacuum analyze spans`;
    await sql`vacuum analyze span_search`;
  } finally {
    await sql.end();
  }
}


async function queries(url: string, runs: number) {
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const project = (i: number) => `bench-${i % PROJECTS}`;
  const cases: [string, (i: number) => string][] = [
    ["newest 50, no filter (the dashboard's first page)", () => `/api/v1/traces?limit=50`],
    ["newest 50, project + status=error", (i) => `/api/v1/traces?project=${project(i)}&status=error&limit=50`],
    ["newest 50, project + model + status=ok", (i) => `/api/v1/traces?project=${project(i)}&model=gpt-4o&status=ok&limit=50`],
    ["sort cost_usd desc, project, 7 days", (i) => `/api/v1/traces?project=${project(i)}&since=${weekAgo}&sort=cost_usd&limit=50`],
    ["sort duration_ms desc, project, 7 days", (i) => `/api/v1/traces?project=${project(i)}&since=${weekAgo}&sort=duration_ms&limit=50`],
    ["sort duration_ms asc, project, 7 days", (i) => `/api/v1/traces?project=${project(i)}&since=${weekAgo}&sort=duration_ms&order=asc&limit=50`],
    ["total: project + has_errors=true", (i) => `/api/v1/traces?project=${project(i)}&has_errors=true&limit=1`],
    ["total: status=error + 7 days, all projects", () => `/api/v1/traces?status=error&since=${weekAgo}&limit=1`],
    [`q=${RARE_WORD} (0.1% of spans), all projects`, () => `/api/v1/traces?q=${RARE_WORD}&limit=50`],
    [`q=${RARE_WORD}, one project`, (i) => `/api/v1/traces?project=${project(i)}&q=${RARE_WORD}&limit=50`],
  ];
  for (const [name, path] of cases) {
    if (values["no-search"] && path(0).includes("q=")) continue;
    if (values.only && !name.includes(values.only)) continue;
    const r = await timed(url, runs, path);
    console.log(`| ${name} | ${r.p50.toFixed(1)} | **${r.p95.toFixed(1)}** | ${r.p99.toFixed(1)} | ${r.meanRows} | ${r.meanTotal.toLocaleString("en-US")} |`);
  }
}

/** Committed spans a second through POST /api/v1/spans: 8 clients, 200 rows a request, ~1.5 KB of varied text a row. */
async function ingest(url: string, seconds: number) {
  const words = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 31 + i * 7 + ((seed >> i % 8) & 15)) % WORDS.length]).join(" ");
  let batch = 0;
  const body = (b: number) => {
    const now = Date.now() / 1000;
    return JSON.stringify({
      project: "ingest-bench",
      rows: Array.from({ length: 200 }, (_, i) => ({
        id: `i${b}-${i}`, root_span_id: `i${b}-${i - (i % 10)}`, span_parents: i % 10 ? [`i${b}-${i - (i % 10)}`] : [],
        span_attributes: { name: "chat", type: "llm" },
        input: [{ role: "user", content: `${words(b * 200 + i, 120)} ${crypto.randomUUID()} ${crypto.randomUUID()}`.slice(0, 1500) }],
        output: { role: "assistant", content: `${words(i, 12)} ${crypto.randomUUID()}` },
        metadata: { provider: i % 2 ? "openai" : "anthropic", model: "gpt-4o" },
        metrics: { start: now, end: now + 0.5, prompt_tokens: 100, completion_tokens: 20 },
      })),
    });
  };
  const deadline = performance.now() + seconds * 1000;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(`${url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: body(batch++) });
        if (response.status !== 200) throw new Error(`spans answered ${response.status}`);
        sent += 200;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(`${Math.round(sent / elapsed)} committed spans/s (${sent} spans in ${elapsed.toFixed(1)} s)`);
  return { spans: sent, started };
}

type SearchIndexHealth = { pending_spans: number | null; indexed_spans: number };
const searchIndexOf = async (url: string) =>
  ((await (await fetch(`${url}/api/health`)).json()) as { search_index?: SearchIndexHealth }).search_index;

/**
 * The search indexer's side of `ingest` (a server with db/write/search-indexer.ts): its rate while the
 * ingest ran, the lag (spans written, not yet searchable) it left, and, with --drain, how fast it
 * catches up once the ingest stops.
 */
async function ingestWithIndexLag(url: string, seconds: number, drain: boolean) {
  const before = await searchIndexOf(url);
  if (!before) return void (await ingest(url, seconds));
  const { started } = await ingest(url, seconds);
  const atEnd = (await searchIndexOf(url))!;
  const during = (performance.now() - started) / 1000;
  console.log(`search indexer during ingest: ${Math.round((atEnd.indexed_spans - before.indexed_spans) / during)} spans indexed/s, ` +
    `${atEnd.pending_spans} spans pending at the end (${before.pending_spans} at the start)`);
  if (!drain) return;
  const drainStarted = performance.now();
  let now = atEnd;
  // null: the server could not count its pending spans in time (PGlite busy indexing): not caught up.
  while (now.pending_spans === null || now.pending_spans > 0) {
    await Bun.sleep(500);
    now = (await searchIndexOf(url))!;
  }
  const drained = (performance.now() - drainStarted) / 1000;
  console.log(`caught up in ${drained.toFixed(1)} s: ${Math.round((now.indexed_spans - atEnd.indexed_spans) / Math.max(drained, 0.001))} spans indexed/s with no ingest`);
}

if (positionals[0] === "ingest") {
  if (!values.url) throw new Error("ingest needs --url of a running server");
  await ingestWithIndexLag(values.url, Number(values.seconds), values.drain);
} else {
  await runOnPostgres({
    spans: Number(values.spans),
    header: "| query | p50 ms | p95 ms | p99 ms | rows | total |\n|---|---|---|---|---|---|",
    fill,
    queries: (url) => queries(url, Number(values.runs)),
  });
}
