import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { migrationsFolder, openDatabase } from "../../db/connect/open.ts";
import { createPartitionKeeper } from "../../db/connect/partitions.ts";
import type { Backend } from "./backends.ts";
import { tempDir } from "./temp-dir.ts";

/**
 * The shipped migrations up to and including the one tagged `last`, as a folder drizzle's migrator
 * reads: an upgrade test opens a database with it to make the schema an older server made.
 */
export function migrationsUpTo(last: string): string {
  const folder = tempDir();
  mkdirSync(`${folder}/meta`);
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8"));
  const upTo = journal.entries.findIndex((e: { tag: string }) => e.tag === last);
  if (upTo < 0) throw new Error(`no migration tagged ${last}`);
  journal.entries = journal.entries.slice(0, upTo + 1);
  writeFileSync(`${folder}/meta/_journal.json`, JSON.stringify(journal));
  for (const file of readdirSync(migrationsFolder)) if (file.endsWith(".sql")) copyFileSync(`${migrationsFolder}/${file}`, `${folder}/${file}`);
  return folder;
}

/**
 * A fresh database of `backend` made by the shipped migrations up to `last`, with today's day
 * partitions: the test writes what an older server wrote, closes it, and opens the store at `where`.
 */
export async function openPreviousSchema(backend: Backend, last: string) {
  const prepared = await backend.prepare();
  const where = { databaseUrl: prepared.env.DATABASE_URL, dataDir: prepared.env.KALMIA_DATA_DIR ?? "" };
  const old = await openDatabase({ ...where, migrationsFolder: migrationsUpTo(last) });
  // The partitioned tables of that schema (later migrations add more).
  await createPartitionKeeper({ database: old, tables: ["traces", "spans"], log: () => {} }).maintain();
  return { old, where, cleanup: prepared.cleanup };
}
