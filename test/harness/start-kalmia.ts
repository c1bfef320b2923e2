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

// What a server said is the only account of why it died: a CI run keeps the test's output and
// nothing else. Enough of its end to hold a crash's error and what led to it, not a whole run's log.
const LOG_TAIL_CHARS = 4_000;

/** Every server started in this test process, so a failing test can print what each one said. */
const started: { pid: number; logs: () => string; printed: boolean }[] = [];

function printLog(server: (typeof started)[number], why: string) {
  if (server.printed) return;
  server.printed = true;
  console.error(`--- kalmia (pid ${server.pid}) ${why}; the end of its output:\n${server.logs().slice(-LOG_TAIL_CHARS)}\n--- end of kalmia (pid ${server.pid})`);
}

/**
 * Runs a test's body; if it fails, prints the output of every server it started (restarted ones
 * included), then fails as it did.
 */
export async function withServerLogs<T>(body: () => Promise<T>): Promise<T> {
  const first = started.length;
  try {
    return await body();
  } catch (error) {
    for (const server of started.slice(first)) printLog(server, "was running in a test that failed");
    throw error;
  }
}

/**
 * Starts a real server process (`bun server/main.ts`) on a free port with a
 * temporary PGlite directory unless the env says otherwise. A server that exits without being
 * stopped has its output printed at once.
 */
export function startKalmia(env: Record<string, string> = {}): Promise<RunningKalmia> {
  const child = spawn(bunPath, ["server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", KALMIA_DATA_DIR: tempDir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let listening = false;
  let stopping = false;
  const server = { pid: child.pid!, logs: () => output, printed: false };
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // "close", not "exit": by then its pipes are read to the end, which is where a crash says why.
  child.once("close", (code, signal) => {
    if (listening && !stopping) printLog(server, `exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /Kalmia listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout.off("data", onData);
      listening = true;
      started.push(server);
      resolve({
        url: match[1]!,
        pid: child.pid!,
        logs: () => output,
        async stop(signal = "SIGTERM") {
          stopping = true;
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => reject(new Error(`kalmia exited with ${code} before listening:\n${output}`)));
  });
}
