import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder } from "../../db/connect/open.ts";
import { freshPostgresDatabase, testPostgresUrl } from "../harness/postgres.ts";
import { openFeed } from "../harness/sse-feed.ts";
import { startKalmia, type RunningKalmia } from "../harness/start-kalmia.ts";

const baseUrl = testPostgresUrl();

const ingest = (replica: RunningKalmia, id: string, project = "replicas") =>
  fetch(`${replica.url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, project_id: project, output: id, spans: [{ id: `${id}-s`, span_attributes: { type: "llm" } }] }),
  });

describe.skipIf(!baseUrl)("two replicas on one Postgres", () => {
  let db: { url: string; drop(): Promise<void> };
  let a: RunningKalmia;
  let b: RunningKalmia;

  beforeAll(async () => {
    db = await freshPostgresDatabase(baseUrl!);
    // Both start at once on an empty database: the advisory lock lets one migrate.
    [a, b] = await Promise.all([startKalmia({ DATABASE_URL: db.url }), startKalmia({ DATABASE_URL: db.url })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  test("started together on an empty database, they come up with the schema applied once", async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const migrations = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    const tables = await sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
    const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    const partitions = await sql`select relname from pg_class where relname in (${`traces_p${today}`}, ${`spans_p${today}`})`;
    await sql.end();
    // Each migration once: as many rows as the journal has entries.
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8"));
    expect(migrations[0]!.n).toBe(journal.entries.length);
    expect(tables.map((t) => t.name)).toEqual(["experiments", "live_event_counter", "live_events", "projects", "revoked_sessions", "scores", "search_pending", "span_search", "spans", "trace_rollups", "traces"]);
    expect(partitions).toHaveLength(2);
    for (const replica of [a, b]) expect(((await (await fetch(`${replica.url}/api/health`)).json()) as any).db).toBe("postgres");
  });

  test("a trace ingested through A reaches a live-feed subscriber on B", async () => {
    const feed = await openFeed(`${b.url}/api/v1/live?project=cross`);
    await Bun.sleep(100);
    expect((await ingest(a, "cross-1", "cross")).status).toBe(200);
    const seen = await feed.waitFor((events) => events.some((e) => e.event === "trace" && JSON.parse(e.data).id === "cross-1"));
    await feed.close();
    expect(seen).toBe(true);
    const span = feed.events.find((e) => e.event === "span");
    expect(JSON.parse(span!.data).id).toBe("cross-1-s");
  });

  test("100 concurrent first writes of a new project split across both make one experiment", async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ingest(i % 2 ? a : b, `split-${i}`, "split-project")),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const { experiments } = (await (await fetch(`${a.url}/api/experiments`)).json()) as any;
    const split = experiments.filter((e: any) => e.project === "split-project");
    expect(split).toHaveLength(1);
    expect(split[0].trace_count).toBe(100);
  });

  test("spans of one trace written through both replicas at once keep a correct summary", async () => {
    const now = Date.now() / 1000;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/v1/spans`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            project: "shared-trace",
            rows: [{ id: `shared-${i}`, root_span_id: "shared", span_parents: i ? ["shared-0"] : [], span_attributes: { type: "llm" },
              metrics: { start: now, end: now + 1, prompt_tokens: 10, completion_tokens: 1 } }],
          }),
        }),
      ),
    );
    const trace = (await (await fetch(`${b.url}/api/v1/traces/shared`)).json()) as any;
    expect(trace.span_count).toBe(40);
    expect(trace.total_tokens).toBe(440);
  });

  test("B's database connections killed mid-feed: its subscriber still gets every event, ids without gaps", async () => {
    const feed = await openFeed(`${b.url}/api/v1/live?project=cut`);
    await Bun.sleep(100);
    const sent: string[] = [];
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    for (let i = 0; i < 30; i++) {
      const id = `cut-${i}`;
      sent.push(id);
      expect((await ingest(a, id, "cut")).status).toBe(200);
      if (i === 10) {
        const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${`kalmia-${b.pid}`}`;
        expect(killed.length).toBeGreaterThan(0);
      }
    }
    await admin.end();
    const traceIds = () => new Set(feed.events.filter((e) => e.event === "trace").map((e) => JSON.parse(e.data).id));
    const all = await feed.waitFor(() => sent.every((id) => traceIds().has(id)), 20_000);
    await feed.close();
    expect(sent.filter((id) => !traceIds().has(id))).toEqual([]);
    expect(all).toBe(true);
    const ids = feed.events.map((e) => Number(e.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
  });
});
