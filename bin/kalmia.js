#!/usr/bin/env node
// `npx kalmia`: the server as an installed package. npx runs bins with Node, but the server is a Bun
// program, so this shim only turns flags into the environment variables server/config.ts reads and runs
// server/main.ts on the Bun that came with the package (the `bun` npm package, a dependency).
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));

// Each flag sets the variable beside it; a flag wins over the same variable already in the environment.
const FLAGS = {
  "--port": "PORT",
  "--host": "HOST",
  "--data-dir": "KALMIA_DATA_DIR",
  "--database-url": "DATABASE_URL",
};

const HELP = `kalmia ${version}: self-hosted tracing server for LLM applications

Usage: npx kalmia [options]

Starts the server and its dashboard. Without --database-url it stores traces in an embedded
PostgreSQL (PGlite) under ./.kalmia in the current directory.

Options (each mirrors an environment variable, and wins over it):
  --port <n>            PORT              port to listen on (default 3000; 0 picks a free one)
  --host <addr>         HOST              address to bind (default 127.0.0.1). Beyond loopback it
                                          needs KALMIA_API_KEYS, or KALMIA_ALLOW_OPEN=1
  --data-dir <path>     KALMIA_DATA_DIR   PGlite data directory (default ./.kalmia)
  --database-url <url>  DATABASE_URL      postgres://... to use PostgreSQL instead of PGlite
  -h, --help                              show this help
  -v, --version                           print the version

Other settings are environment variables only: KALMIA_API_KEYS, KALMIA_ALLOW_OPEN,
OPENAI_BASE_URL, ANTHROPIC_BASE_URL, KALMIA_WRITE_BUFFER_ROWS, KALMIA_RETENTION_DAYS
(see the README).
`;

function fail(message) {
  console.error(`kalmia: ${message}\nRun \`kalmia --help\` for the options.`);
  process.exit(2);
}

/** `--flag value` or `--flag=value` into { VARIABLE: value }; --help and --version answer and exit. */
function parseArgs(args) {
  const env = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(HELP);
      process.exit(0);
    }
    if (arg === "-v" || arg === "--version") {
      console.log(version);
      process.exit(0);
    }
    const [flag, inline] = arg.split(/=(.*)/s);
    const variable = FLAGS[flag];
    if (!variable) fail(`unknown option "${arg}"`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) fail(`${flag} needs a value`);
    env[variable] = value;
  }
  return env;
}

/**
 * The Bun binary that came with the `bun` package. Its postinstall puts the real binary at bin/bun.exe;
 * where install scripts did not run (--ignore-scripts, or npm's allowScripts) that file is a small
 * placeholder, and the binary is still in the platform package (@oven/bun-linux-x64, ...).
 */
function findBun() {
  if (process.versions.bun) return process.execPath;
  const require = createRequire(import.meta.url);
  const bunDir = dirname(require.resolve("bun/package.json"));
  const placed = join(bunDir, "bin", "bun.exe");
  if (existsSync(placed) && statSync(placed).size > 1_000_000) return placed;
  const fromBun = createRequire(join(bunDir, "package.json"));
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  const binary = process.platform === "win32" ? "bin/bun.exe" : "bin/bun";
  for (const suffix of ["", "-baseline", "-musl", "-musl-baseline"]) {
    try {
      return fromBun.resolve(`@oven/bun-${os}-${arch}${suffix}/${binary}`);
    } catch {
      // not this variant; try the next
    }
  }
  fail(`no Bun binary found beside ${bunDir}; reinstall kalmia with install scripts allowed`);
}

const overrides = parseArgs(process.argv.slice(2));
// Its own process group (detached), so a Ctrl-C reaches the server once, from here, and it drains
// cleanly instead of seeing a second SIGINT mid-shutdown.
const server = spawn(findBun(), [join(packageDir, "server/main.ts")], {
  stdio: "inherit",
  env: { ...process.env, ...overrides },
  detached: process.platform !== "win32",
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => server.kill(signal === "SIGHUP" ? "SIGTERM" : signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
