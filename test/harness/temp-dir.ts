import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A PGlite data dir is ~50 MB, a copied image 1.2 GB, and a suite run makes
// dozens: all go when the process ends (bun test: test/harness/cleanup.ts).
const made: string[] = [];

export function tempDir(prefix = "kalmia-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The dirs made so far, forgotten here: the caller removes them. */
export const takeTempDirs = (): string[] => made.splice(0);

export function removeTempDirs(): void {
  for (const dir of takeTempDirs()) rmSync(dir, { recursive: true, force: true });
}

// Scripts (bench/); bun test does not run exit handlers.
process.on("exit", removeTempDirs);
