import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { existsSync, mkdirSync } from "node:fs";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import type { Database, Db } from "./open.ts";
import { initPgdataInChild } from "./pglite-init.ts";
import { PgliteRemote } from "./pglite-remote.ts";
import * as schema from "../schema.ts";

// Shared buffers are resident WASM memory in PGlite, touched in full from the start: Postgres' 128MB
// default made ~270 MB of RSS at start, 16MB ~150 MB, and 8MB takes 7 MB more off an idle server and
// caps what steady writes grow the WASM heap to (BENCHMARKS.md, "Footprint"). A page that misses
// them is read from the OS's page cache, as PGlite's files are real files.
const PGLITE_SHARED_BUFFERS = "8MB";

/** Embedded PGlite in `dataDir`, migrated. Loaded only when used: on Postgres its modules are never read. */
export async function openPglite(dataDir: string, migrationsFolder: string): Promise<Database> {
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
  const db = drizzle({ client: client as unknown as PGlite, schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder });
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
