import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import { fileURLToPath } from "node:url";
import { connectPostgres } from "./connect-postgres.ts";
import type * as schema from "../schema.ts";
import { transactionLanesOf } from "./transaction-lanes.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs raw SQL and returns its rows, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
  /** The driver's own client (postgres.js Sql or PGlite), for tooling and fault tests. */
  client: unknown;
};

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));
// Any fixed number: every replica takes this lock before migrating, so
// replicas started together apply each migration once.
const MIGRATION_LOCK = 727_274_001;

export type OpenOptions = {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** Migrations to apply: the shipped ones unless a test builds a database of an older schema. */
  migrationsFolder?: string;
};

/** Opens Postgres when a URL is given, else embedded PGlite, and migrates it. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.migrationsFolder ?? migrationsFolder)
    : (await import("./open-pglite.ts")).openPglite(options.dataDir, options.migrationsFolder ?? migrationsFolder);
}

async function openPostgres(databaseUrl: string, max: number, migrationsFolder: string): Promise<Database> {
  const database = connectPostgres(databaseUrl, max);
  // The lock is a session's, taken and given back on one connection: a lane, as for the writer's
  // transactions, not a connection reserved from the pool (db/connect/transaction-lanes.ts).
  await transactionLanesOf(database.client).use(async (lane) => {
    try {
      await lane`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migrate(database.db as never, { migrationsFolder });
    } finally {
      await lane`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    }
  });
  return database;
}

export { sql };
