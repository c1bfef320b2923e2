import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import type { Db } from "./open.ts";

export type Row = Record<string, unknown>;
/** Runs one statement of the transaction and gives back its rows. */
export type RunSql = (query: SQL) => Promise<Row[]>;

const dialect = new PgDialect();

/** postgres.js answers with an array of rows, PGlite with { rows }. */
async function rowsOf(result: Promise<unknown>): Promise<Row[]> {
  const value = (await result) as Row[] | { rows: Row[] };
  return Array.isArray(value) ? value : value.rows;
}

/**
 * One transaction for the writer's hot path. On Postgres its statements run
 * as named prepared statements: drizzle sends every `execute` unprepared,
 * which costs a describe round trip and a fresh parse and plan each time,
 * while the writer's statements have the same text for any batch.
 */
export function batchTransaction<T>(db: Db, work: (run: RunSql) => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (isPostgresJs(client)) {
    return client.begin((tx) =>
      work((query) => {
        const { sql, params } = dialect.sqlToQuery(query);
        return tx.unsafe(sql, params as never[], { prepare: true }) as unknown as Promise<Row[]>;
      }),
    ) as Promise<T>;
  }
  return db.transaction((tx) => work((query) => rowsOf(tx.execute(query))));
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === "function" && typeof (client as Sql).begin === "function";
}
