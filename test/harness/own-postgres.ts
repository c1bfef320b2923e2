import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.ts";
import { chmodSync } from "node:fs";

const script = fileURLToPath(new URL("../../scripts/postgres.sh", import.meta.url));

async function run(...args: string[]): Promise<string> {
  const proc = Bun.spawn(["bash", script, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`postgres.sh ${args[0]} failed: ${err}`);
  return out.trim();
}

/** A PostgreSQL cluster of the test's own, so it can be stopped and started at will. */
export async function startOwnPostgres() {
  const dir = tempDir("kalmia-own-pg-");
  chmodSync(dir, 0o755);
  const url = await run("start", dir);
  return {
    url,
    /** Stops the server as a crash would (immediate mode: connections cut). */
    pause: () => run("stop", dir),
    resume: () => run("resume", dir),
    stop: () => run("stop", dir),
  };
}
