import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's database: two servers on one data directory would
 * corrupt it. A pid file taken with O_EXCL keeps the second one out, and a
 * file left by a killed server (its pid gone) is taken over.
 */
export function acquireDataDirLock(dataDir: string, variable = "KALMIA_DATA_DIR"): () => void {
  const path = join(dataDir, "kalmia.pid");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {}
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(path, "utf8").trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new DataDirLockedError(
        `${variable} ${dataDir} is in use by another Kalmia server (pid ${owner}); ` +
          `stop it or point this one at another directory`,
      );
    }
    unlinkSync(path);
  }
  throw new DataDirLockedError(`could not lock ${variable} ${dataDir}`);
}
