/**
 * The embedded database's own thread (a Bun Worker, db/connect/pglite-remote.ts talks to it): PGlite runs
 * Postgres as WASM, which would otherwise run on the server's event loop, where every statement
 * would hold up every proxied call and HTTP request for as long as it takes.
 */
import { PGlite, types } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

declare const self: Worker;

export type Request =
  | { id: number; op: "open"; pgdata: string; startParams: string[] }
  | { id: number; op: "query"; sql: string; params: unknown[]; rowMode: "array" | "object" | undefined; rawDates: boolean }
  | { id: number; op: "exec"; sql: string }
  | { id: number; op: "close" };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, unknown> };

// What drizzle asks of PGlite on every query: dates, times and intervals left as Postgres prints
// them (drizzle maps them itself). Parsers are functions, which cannot cross to this thread, so the
// other side only says whether it asked for them.
const asText = (value: string) => value;
const RAW_DATES = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, asText]),
);

let db: PGlite | null = null;
// This thread's garbage (each statement's parameters and each answer's rows, copies of what crossed
// over) is never reached by the main thread's collections, and the runtime lets a thread's heap grow
// far before collecting it: an export of 100,000 traces grew the process by ~80 MB of it, and the
// writer's statements under load took it from ~280 MB to ~780 MB before a collection. Collected
// here after so many rows answered or so much parameter text received.
const COLLECT_EVERY_ROWS = 2_000;
const COLLECT_EVERY_PARAM_CHARS = 16_000_000;
let rowsSinceCollect = 0;
let paramCharsSinceCollect = 0;
let statementsSinceCollect = 0;

function collect() {
  rowsSinceCollect = 0;
  paramCharsSinceCollect = 0;
  statementsSinceCollect = 0;
  Bun.gc(true);
}

// Below those thresholds garbage still piles up for as long as the traffic lasts (each ingest's
// statements, a page of a list): once a second, whatever ran since the last collection is collected.
// The heap is this thread's alone and small, so the pause holds up only the database's next statement.
const COLLECT_AFTER_ACTIVITY_MS = 1_000;
setInterval(() => {
  if (statementsSinceCollect > 0) collect();
}, COLLECT_AFTER_ACTIVITY_MS);

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "open":
      // pg_trgm: the text search's index (migration 0003, db/query/span-search.ts), as on Postgres.
      db = await PGlite.create(request.pgdata, { startParams: request.startParams, extensions: { pg_trgm } });
      return null;
    case "query": {
      for (const param of request.params) if (typeof param === "string") paramCharsSinceCollect += param.length;
      const { rows, fields, affectedRows } = await open().query(request.sql, request.params, {
        rowMode: request.rowMode,
        ...(request.rawDates && { parsers: RAW_DATES }),
      });
      rowsSinceCollect += rows.length;
      return { rows, fields, affectedRows };
    }
    case "exec":
      return (await open().exec(request.sql)).map(({ rows, fields, affectedRows }) => ({ rows, fields, affectedRows }));
    case "close":
      await db?.close();
      db = null;
      return null;
  }
}

function open(): PGlite {
  if (!db) throw new Error("the embedded database is not open");
  return db;
}

/** An error as plain data: PGlite's DatabaseError carries the SQLSTATE and details as own fields. */
function plain(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = Object.entries(error).filter(([, value]) => ["string", "number", "boolean"].includes(typeof value));
  return { ...Object.fromEntries(fields), name: error.name, message: error.message };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  let reply: Reply;
  try {
    reply = { id: request.id, ok: true, value: await handle(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: plain(error) };
  }
  try {
    self.postMessage(reply);
  } catch (error) {
    // An answer that cannot cross threads fails its query alone, never the database.
    self.postMessage({ id: request.id, ok: false, error: plain(error) } satisfies Reply);
  }
  statementsSinceCollect++;
  if (rowsSinceCollect >= COLLECT_EVERY_ROWS || paramCharsSinceCollect >= COLLECT_EVERY_PARAM_CHARS) collect();
};
