import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import postgres, { type Sql } from "postgres";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as schema from "./schema.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import { initPgdataInChild } from "./pglite-init.ts";
import { PgliteRemote } from "./pglite-remote.ts";
import { attachTransactionLanes, transactionLanesOf } from "./transaction-lanes.ts";

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

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
// Any fixed number: every replica takes this lock before migrating, so
// replicas started together apply each migration once.
const MIGRATION_LOCK = 727_274_001;
// Postgres' 128MB default is resident WASM memory in PGlite (~270 MB RSS at start); 16MB keeps it ~150 MB.
const PGLITE_SHARED_BUFFERS = "16MB";

export type OpenOptions = { databaseUrl?: string; dataDir: string; poolSize?: number };

/** Opens Postgres when a URL is given, else embedded PGlite, and migrates it. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(options.dataDir);
}

async function openPostgres(databaseUrl: string, max: number): Promise<Database> {
  const database = connectPostgres(databaseUrl, max);
  // The lock is a session's, taken and given back on one connection: a lane, as for the writer's
  // transactions, not a connection reserved from the pool (db/transaction-lanes.ts).
  await transactionLanesOf(database.client).use(async (lane) => {
    try {
      await lane`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migratePostgres(database.db as never, { migrationsFolder });
    } finally {
      await lane`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    }
  });
  return database;
}

/** A pool of up to `max` connections to a Postgres, not migrated here. */
export function connectPostgres(databaseUrl: string, max: number): Database & { client: Sql } {
  const { url, socketPath } = unixSocketOf(databaseUrl);
  const connect = (max: number, idleTimeoutS?: number) =>
    postgres(url, {
      ...(socketPath && { path: socketPath }),
      max,
      ...(idleTimeoutS && { idle_timeout: idleTimeoutS }),
      onnotice: () => {},
      // A connect attempt made while the database is down would otherwise hold its
      // query for postgres.js' default 30 s after the database is back.
      connect_timeout: 5,
      // Reconnect soon after an outage: postgres.js' default backoff grows to 20 s.
      backoff: (attempt: number) => Math.min(0.1 * 2 ** attempt, 1),
      connection: {
        // Named per process, so an operator (or a test) can tell replicas apart in pg_stat_activity.
        application_name: `kalmia-${process.pid}`,
        // Postgres compiles a statement whose estimated cost passes jit_above_cost, and the writer's
        // statements pass it once there are some fifty day partitions (their laterals span them all):
        // the compile then took a second per batch. Kalmia's statements are short; none gains from JIT.
        jit: "off",
      },
    });
  const client = connect(max);
  const lanes = attachTransactionLanes(client, () => {
    // A lane idle for a minute lets its connection go (it reconnects when next used): lanes shrink
    // after a burst, and a replaced lane's connection that postgres.js reconnects all the same
    // (a reconnect it had scheduled before the lane was ended) does not stay open.
    const lane = connect(1, 60);
    // Drizzle sets the client's own (de)serialisers (JSON and dates passed through as text); the
    // writer's statements are made by drizzle and expect them.
    drizzlePostgres({ client: lane });
    return lane;
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    client,
    rows: async <T>(query: SQL) => (await db.execute(query)) as unknown as T[],
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), lanes.close()]);
    },
  };
}

/**
 * Where a URL that names a Unix-socket directory, as libpq allows, connects:
 * `postgres://user@localhost/db?host=/var/run/postgresql` (with `port` in the authority or the
 * query), or the directory percent-encoded as the host, `postgres://user@%2Fvar%2Frun%2Fpostgresql/db`.
 * postgres.js reads neither (the first becomes a startup parameter the server refuses, the second
 * a TCP host), so the socket file is handed to it as `path` and those parts are left out of the URL.
 */
export function unixSocketOf(databaseUrl: string): { url: string; socketPath: string | null } {
  const parsed = new URL(databaseUrl);
  const encodedHost = decodeURIComponent(parsed.hostname);
  const dir = parsed.searchParams.get("host") ?? (encodedHost.startsWith("/") ? encodedHost : null);
  if (!dir?.startsWith("/")) return { url: databaseUrl, socketPath: null };
  const port = parsed.searchParams.get("port") || parsed.port || "5432";
  parsed.searchParams.delete("host");
  parsed.searchParams.delete("port");
  parsed.hostname = "localhost";
  parsed.port = "";
  return { url: parsed.toString(), socketPath: `${dir.replace(/\/+$/, "")}/.s.PGSQL.${port}` };
}

async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(dataDir);
  let client: PgliteRemote;
  try {
    const pgdata = `${dataDir}/pgdata`;
    if (!existsSync(`${pgdata}/PG_VERSION`)) await initPgdataInChild(pgdata);
    // On its own thread, so that its statements never hold up the event loop. Settings on the
    // command line, not `postgresqlconf`, which overwrites initdb's postgresql.conf (its
    // timezone = UTC among others) on every start.
    client = await PgliteRemote.open(pgdata, [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`]);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzlePglite({ client: client as unknown as PGlite, schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder });
  return {
    db,
    kind: "pglite",
    client,
    rows: async <T>(query: SQL) =>
      ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    close: async () => {
      // A checkpoint first, so the next start replays no WAL.
      await client.exec("checkpoint").catch(() => {});
      await client.close();
      releaseLock();
    },
  };
}

export { sql };
