import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const bunPath = process.execPath.includes("bun") ? process.execPath : `${root}node_modules/.bin/bun`;

export type RunningKalmia = {
  url: string;
  pid: number;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts a real server process (`bun server/main.ts`) on a free port with a
 * temporary PGlite directory unless the env says otherwise.
 */
export function startKalmia(env: Record<string, string> = {}): Promise<RunningKalmia> {
  const child = spawn(bunPath, ["server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", KALMIA_DATA_DIR: tempDir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kalmia listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stdout.off("data", onData);
        child.stdout.on("data", (c: Buffer) => (output += c.toString()));
        resolve({
          url: match[1]!,
          pid: child.pid!,
          logs: () => output,
          async stop(signal = "SIGTERM") {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`kalmia exited with ${code} before listening:\n${output}`)));
  });
}
