// Runs `npx kalmia` in an installed project as a user would, in its own process group so the Ctrl-C a
// terminal would send reaches every process npx started.
import { spawn } from "node:child_process";

export type RunningNpxKalmia = {
  url: string;
  /** Milliseconds from spawning `npx kalmia` to the first 200 from /api/health. */
  msToHealthy: number;
  output(): string;
  stop(): Promise<void>;
};

/** The environment minus the variables the flags stand for, so only the flags given say where to listen and store. */
function withoutServerSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PORT, HOST, KALMIA_DATA_DIR, DATABASE_URL, ...rest } = env;
  return rest;
}

export async function startNpxKalmia(projectDir: string, args: string[]): Promise<RunningNpxKalmia> {
  const started = performance.now();
  const child = spawn("npx", ["--no-install", "kalmia", ...args], {
    cwd: projectDir,
    env: withoutServerSettings(process.env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGINT");
    await exited;
  };

  const deadline = started + 60_000;
  let url: string | undefined;
  while (performance.now() < deadline && child.exitCode === null) {
    url ??= /Dashboard: (http:\/\/\S+?)\/?\s/.exec(output)?.[1];
    if (url) {
      const health = await fetch(`${url}/api/health`).catch(() => undefined);
      if (health?.status === 200) {
        return { url, msToHealthy: performance.now() - started, output: () => output, stop };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`npx kalmia ${args.join(" ")} did not become healthy:\n${output}`);
}
