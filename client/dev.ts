/**
 * `npm run dev`: the Kalmia server and Vite's dev server side by side. Vite
 * serves the dashboard with hot reload and proxies /api (the live feed
 * included) to the server. Ctrl-C stops both; either one exiting stops the other.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const apiPort = process.env.PORT ?? "3000";
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const children: ChildProcess[] = [
  spawn(bin("bun"), ["--watch", "server/main.ts"], { cwd: root, stdio: "inherit", env: { ...process.env, PORT: apiPort } }),
  spawn(bin("vite"), ["--config", "client/vite.config.ts"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, KALMIA_API_URL: `http://127.0.0.1:${apiPort}` },
  }),
];

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}

for (const child of children) child.on("exit", (code) => stopAll(code ?? 0));
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
