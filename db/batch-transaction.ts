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
      // Each statement planned for its own batch: a generic plan cached while the tables were small
      // (seq scans) outlives their growth; the partition-key lookup took 14 ms a batch at 30k traces.
      tx.unsafe("set local plan_cache_mode = force_custom_plan"),
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
