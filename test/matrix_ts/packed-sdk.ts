// @kalmia/sdk as a user gets it: `npm pack` (its prepack builds dist/), installed from the tarball into a
// project of its own outside the repository, and imported through the package's `exports`. Packed once
// per test process (every matrix file imports this module, and Bun shares the module between them), so
// the matrix proves the published build, not sdk/typescript/src, for the cost of one build.
import { join } from "node:path";
import type * as KalmiaSdk from "../../sdk/typescript/src/index.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { freshProject, npmPack, repoRoot } from "../packaging/npm-project.ts";

async function installPackedSdk(): Promise<{ entry: string; sdk: typeof KalmiaSdk }> {
  const tarball = await npmPack(join(repoRoot, "sdk/typescript"));
  // The tarball has no dependencies: installing it is a copy. Every matrix file of the run uses this one
  // installation, so it lives in a temp dir that goes after the last test (test/harness/cleanup.ts),
  // not in one that a test file's removeInstallDirs() would take away from the files after it.
  const project = await freshProject([tarball], {}, tempDir("kalmia-packed-sdk-"));
  const entry = Bun.resolveSync("@kalmia/sdk", project);
  return { entry, sdk: (await import(entry)) as typeof KalmiaSdk };
}

const installed = await installPackedSdk();

/** The installed package's entry file, for programs that import `@kalmia/sdk` (the docs' examples). */
export const packedSdkEntry = installed.entry;
export const { initLogger, flush, wrapOpenAI, wrapAnthropic, kalmiaTelemetry } = installed.sdk;
