import { drizzle } from "drizzle-orm/postgres-js";
import type { SQL } from "drizzle-orm";
import postgres, { type Sql } from "postgres";
import type { Database, Db } from "./open.ts";
import * as schema from "../schema.ts";
import { attachTransactionLanes } from "./transaction-lanes.ts";

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
    drizzle({ client: lane });
    return lane;
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    client,
    rows: async <T>(query: SQL) => (await db.execute(query)) as unknown as T[],
    // A stop waits for no read: the writer has drained by now, and with the database down a queued
    // query (a health check, the live feed's catch-up) would hold the stop past Docker's grace.
    close: async () => {
      await Promise.all([client.end({ timeout: 1 }), lanes.close()]);
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
