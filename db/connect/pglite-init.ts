import { PGlite } from "@electric-sql/pglite";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Creates a PGlite database at `pgdata` in a child process. initdb grows
 * PGlite's WASM memory to ~1 GB and WASM memory never shrinks, not even after
 * close(), so a server that ran it itself would carry that gigabyte for life.
 */
export async function initPgdataInChild(pgdata: string): Promise<void> {
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new Error(`${pgdata} has files but no PG_VERSION, so it is no database: move it aside`);
  }
  // Built beside pgdata and renamed into place, so a crash mid-initdb leaves
  // no half-made database that a later start would take for a real one.
  const staging = `${pgdata}.init`;
  rmSync(staging, { recursive: true, force: true });
  const child = Bun.spawn([process.execPath, fileURLToPath(import.meta.url), staging], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const [exitCode, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  if (exitCode !== 0 || !existsSync(`${staging}/PG_VERSION`)) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`PGlite initdb of ${pgdata} failed (exit ${exitCode}): ${stderr.trim() || "no output"}`);
  }
  renameSync(staging, pgdata);
}

if (import.meta.main) {
  try {
    const client = await PGlite.create(process.argv[2]!);
    await client.close();
  } catch (error) {
    // The message alone: Bun's default report quotes a line of PGlite's minified source.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
