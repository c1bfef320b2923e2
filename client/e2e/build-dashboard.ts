import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const client = join(root, "client");
let built: Promise<void> | null = null;

/**
 * Makes sure client/dist is a build of the current sources (the test command
 * usually built it already; a stale or missing one is rebuilt once).
 */
export function ensureDashboardBuilt(): Promise<void> {
  return (built ??= (async () => {
    if (isFresh()) return;
    const result = spawnSync(`${root}node_modules/.bin/vite`, ["build", "--config", "client/vite.config.ts", "--logLevel", "warn"], {
      cwd: root,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  })());
}

function isFresh(): boolean {
  const index = join(client, "dist", "index.html");
  if (!existsSync(index)) return false;
  const builtAt = statSync(index).mtimeMs;
  const sources = [join(client, "index.html"), join(client, "vite.config.ts"), ...listFiles(join(client, "src"))];
  return sources.every((file) => statSync(file).mtimeMs <= builtAt);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
