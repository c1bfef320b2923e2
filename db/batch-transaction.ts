import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import type { Db } from "./open.ts";

export type Row = Record<string, unknown>;

const dialect = new PgDialect();

/** postgres.js answers with an array of rows, PGlite with { rows }. */
async function rowsOf(result: Promise<unknown>): Promise<Row[]> {
  const value = (await result) as Row[] | { rows: Row[] };
  return Array.isArray(value) ? value : value.rows;
}

/**
 * Runs the statements in order in one transaction and gives back each one's
 * rows: the writer's hot path. On Postgres they go out together, pipelined on
 * one connection (a round trip for the lot, not one each), as named prepared
 * statements (drizzle sends every `execute` unprepared: a describe round trip
 * and a fresh parse and plan each time, while these have the same text for
 * any batch). Each statement still runs after the previous one finished.
 */
export function runInTransaction(db: Db, statements: SQL[]): Promise<Row[][]> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (isPostgresJs(client)) {
    return client.begin((tx) => [
      // One plan per statement and connection, made again only when the tables change (a day
      // partition made or dropped, an analyze): planning these statements costs more than running
      // them (1 ms for the trace upsert, which spans every day partition). No sequential scans,
      // which a plan made while the tables were empty would choose and keep as they grow (the
      // partition-key lookup once took 14 ms a batch at 30k traces): every statement here finds
      // its rows by index. No JIT in these plans, whatever the connection was given (a pooler may
      // drop the startup parameter, db/open.ts).
      tx.unsafe(
        "select set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)",
      ),
      ...statements.map((statement) => {
        const { sql, params } = dialect.sqlToQuery(statement);
        return tx.unsafe(sql, params as never[], { prepare: true });
      }),
    ]).then((results) => results.slice(1)) as unknown as Promise<Row[][]>;
  }
  return db.transaction(async (tx) => {
    const results: Row[][] = [];
    for (const statement of statements) results.push(await rowsOf(tx.execute(statement)));
    return results;
  });
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === "function" && typeof (client as Sql).begin === "function";
}
