// The server as a user outside this repository gets it: the root package packed by `npm pack` (its
// prepack builds the dashboard), installed from the tarball into an empty folder under the system temp
// dir, and started with `npx kalmia`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freshProject, npmPack, removeInstallDirs, repoRoot, run } from "./npm-project.ts";
import { startNpxKalmia, type RunningNpxKalmia } from "./npx-kalmia.ts";

let project: string;
let kalmia: RunningNpxKalmia | undefined;

beforeAll(async () => {
  project = await freshProject([await npmPack(repoRoot)]);
}, 120_000);

afterAll(async () => {
  await kalmia?.stop();
  await removeInstallDirs();
}, 180_000);

describe("npx kalmia from the packed tarball", () => {
  test("--help documents every flag beside the environment variable it mirrors", async () => {
    const help = await run(["npx", "--no-install", "kalmia", "--help"], { cwd: project });
    expect(help.code).toBe(0);
    for (const [flag, variable] of [
      ["--port", "PORT"],
      ["--host", "HOST"],
      ["--data-dir", "KALMIA_DATA_DIR"],
      ["--database-url", "DATABASE_URL"],
    ]) {
      expect(help.stdout).toMatch(new RegExp(`${flag} .*\\b${variable}\\b`));
    }
  });

  test("an unknown flag is refused with exit code 2 and a pointer to --help", async () => {
    const refused = await run(["npx", "--no-install", "kalmia", "--prot", "3000"], { cwd: project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown option "--prot"');
  });

  test("--database-url reaches the server, which refuses a URL that is not postgres:// by its variable's name", async () => {
    const refused = await run(["npx", "--no-install", "kalmia", "--database-url", "mysql://db/traces"], { cwd: project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("DATABASE_URL must use postgres: or postgresql:");
  });

  test("starts on PGlite in ./.kalmia, prints the dashboard URL, answers /api/health and serves the dashboard", async () => {
    kalmia = await startNpxKalmia(project, ["--port", "0"]);
    expect(kalmia.output()).toContain("(storage: pglite)");
    expect(existsSync(join(project, ".kalmia"))).toBe(true);
    const dashboard = await fetch(`${kalmia.url}/`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get("content-type")).toContain("text/html");
    expect(await dashboard.text()).toContain("<title>Kalmia</title>");
    await kalmia.stop();
    // Ctrl-C drains and closes the server; nothing is left running.
    expect(kalmia.output()).toContain("SIGINT, draining and closing");
  });

  test("--host, --port= and --data-dir choose where it listens and stores", async () => {
    kalmia = await startNpxKalmia(project, ["--host", "localhost", "--port=0", "--data-dir", "elsewhere"]);
    expect(kalmia.url).toStartWith("http://localhost:");
    expect(existsSync(join(project, "elsewhere"))).toBe(true);
    await kalmia.stop();
  });
});
