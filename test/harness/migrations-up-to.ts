import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { migrationsFolder } from "../../db/open.ts";
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
