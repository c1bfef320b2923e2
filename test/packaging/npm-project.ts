// Helpers for the packaging tests: pack a package the way `npm publish` would, install the tarball into a
// fresh folder outside the repository, and run commands there. Everything runs as a child process with
// `await` (never spawnSync), so the fake upstream and servers in this test process keep answering.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tempDir } from "../harness/temp-dir.ts";

export const repoRoot = resolve(import.meta.dir, "../..");

export type Run = { code: number; stdout: string; stderr: string };

/** Runs a command; its output comes back whatever the exit code, for the test to show on failure. */
export async function run(cmd: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

/** Like run, but a non-zero exit throws with everything the command printed. */
export async function mustRun(cmd: string[], options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  const result = await run(cmd, options);
  if (result.code !== 0) {
    throw new Error(`${cmd.join(" ")} (in ${options.cwd}) exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

// Installed projects and virtualenvs are hundreds of MB; on a busy disk removing them takes tens of
// seconds, longer than the suite-wide cleanup hook may take (test/harness/cleanup.ts). So each test file
// removes its own, in its afterAll with a timeout of its own, through removeInstallDirs().
const installDirs: string[] = [];

/** A temporary folder for an installation, removed by removeInstallDirs() (or at exit). */
export function installDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  installDirs.push(dir);
  return dir;
}

export async function removeInstallDirs(): Promise<void> {
  await Promise.all(installDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

process.on("exit", () => {
  for (const dir of installDirs) rmSync(dir, { recursive: true, force: true });
});

/** `npm pack` of packageDir (its prepack builds it) into a temporary folder; the tarball's path. */
export async function npmPack(packageDir: string): Promise<string> {
  const out = tempDir("kalmia-pack-");
  await mustRun(["npm", "pack", "--silent", "--pack-destination", out], { cwd: packageDir });
  const tarball = readdirSync(out).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${out}`);
  return join(out, tarball);
}

/** The version of a package installed at the repository root, to install the same one from npm's cache. */
export function rootVersion(name: string): string {
  return require(join(repoRoot, "node_modules", name, "package.json")).version;
}

/**
 * A new project folder with nothing around it (under the system temp dir), with `specs` installed by npm,
 * from its cache where it can (the repository's own `npm install` has put these versions there). By
 * default removeInstallDirs() removes it; pass a `dir` of your own to keep it longer.
 */
export async function freshProject(specs: string[], packageJson: Record<string, unknown> = {}, dir = installDir("kalmia-consumer-")): Promise<string> {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, ...packageJson }));
  await mustRun(["npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...specs], {
    cwd: dir,
  });
  return dir;
}
