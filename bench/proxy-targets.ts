/** The processes a proxy benchmark talks to: the fake upstream, Kalmia, a bare Bun proxy, and optionally LiteLLM. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { bunPath, startKalmia, type RunningKalmia } from "../test/harness/start-kalmia.ts";
import { freshPostgresDatabase } from "../test/harness/postgres.ts";
import { tempDir } from "../test/harness/temp-dir.ts";

const root = join(import.meta.dir, "..");

export type Target = {
  name: string;
  chatUrl: string;
  headers: Record<string, string>;
  pid: number | null;
  /** Model aliases that make the peer send the fake's pacing headers (LiteLLM forwards no client headers). */
  streamModel?: string;
  slowModel?: string;
};

export type Processes = {
  upstream: Target;
  kalmia: Target & { server: RunningKalmia };
  /** bench/bare-proxy.ts: the floor, what Bun's HTTP stack alone adds. */
  bare: Target;
  litellm: (Target & { child: ChildProcess }) | null;
  /** Kalmia's database on the Postgres cluster, or null on PGlite. */
  databaseName: string | null;
  stop(): Promise<void>;
};

/** Waits for a child's stdout/stderr line matching `pattern`, returning its first group. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  });
}

export async function startProcesses(options: { litellm: boolean; databaseUrl?: string }): Promise<Processes> {
  const fake = spawn(bunPath, ["test/fake-upstream/main.ts"], { cwd: root, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  let bare: ChildProcess | null = null;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | null = null;
  try {
    const fakeUrl = await waitForLine(fake, /listening on (http:\/\/\S+)/, 20_000);
    bare = spawn(bunPath, ["bench/bare-proxy.ts"], { cwd: root, env: { ...process.env, PORT: "0", UPSTREAM_URL: fakeUrl }, stdio: ["ignore", "pipe", "pipe"] });
    const bareUrl = await waitForLine(bare, /listening on (http:\/\/\S+)/, 20_000);
    // A fresh database per run, so every run starts empty and migrates from scratch.
    database = options.databaseUrl ? await freshPostgresDatabase(options.databaseUrl) : null;
    const storage: Record<string, string> = database ? { DATABASE_URL: database.url } : { KALMIA_DATA_DIR: tempDir("kalmia-bench-") };
    const server = await startKalmia({ OPENAI_BASE_URL: `${fakeUrl}/v1`, ANTHROPIC_BASE_URL: fakeUrl, ...storage });
    const auth = { authorization: "Bearer sk-bench", "content-type": "application/json" };
    const litellm = options.litellm ? await startLitellm(fakeUrl, auth) : null;
    const [bareChild, db] = [bare, database];
    return {
      upstream: { name: "direct", chatUrl: `${fakeUrl}/v1/chat/completions`, headers: auth, pid: fake.pid ?? null },
      kalmia: { name: "kalmia", chatUrl: `${server.url}/api/v1/chat/completions`, headers: { ...auth, "x-kalmia-project": "bench" }, pid: server.pid, server },
      bare: { name: "bare bun proxy", chatUrl: `${bareUrl}/v1/chat/completions`, headers: auth, pid: bare.pid ?? null },
      litellm,
      databaseName: db ? new URL(db.url).pathname.slice(1) : null,
      async stop() {
        litellm?.child.kill("SIGTERM");
        bareChild.kill("SIGTERM");
        await server.stop();
        await db?.drop();
        fake.kill("SIGTERM");
      },
    };
  } catch (error) {
    // A process that failed to start must not leave the others running on the shared cores.
    bare?.kill("SIGTERM");
    fake.kill("SIGTERM");
    await database?.drop();
    throw error;
  }
}

const LITELLM = join(root, ".venv-bench", "bin", "litellm");

async function startLitellm(fakeUrl: string, auth: Record<string, string>) {
  if (!existsSync(LITELLM)) return null;
  const config = join(tempDir("litellm-bench-"), "config.yaml");
  writeFileSync(
    config,
    [
      "model_list:",
      "  - model_name: gpt-4o",
      "    litellm_params:",
      "      model: openai/gpt-4o",
      `      api_base: ${fakeUrl}/v1`,
      "      api_key: sk-bench",
      "  - model_name: gpt-4o-stream64",
      "    litellm_params:",
      "      model: openai/gpt-4o",
      `      api_base: ${fakeUrl}/v1`,
      "      api_key: sk-bench",
      `      extra_headers: {"x-fake-chunks": "64", "x-fake-delay-ms": "20", "x-fake-latency-ms": "${process.env.BENCH_FIRST_TOKEN_MS ?? 0}"}`,
      "  - model_name: gpt-4o-20ms",
      "    litellm_params:",
      "      model: openai/gpt-4o",
      `      api_base: ${fakeUrl}/v1`,
      "      api_key: sk-bench",
      '      extra_headers: {"x-fake-latency-ms": "20"}',
      "litellm_settings:",
      "  telemetry: false",
      "",
    ].join("\n"),
  );
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const child = spawn(LITELLM, ["--config", config, "--port", String(port), "--host", "127.0.0.1", "--num_workers", "1"], {
    cwd: root,
    // LiteLLM refuses to start without a master key; the clients send it as their bearer token.
    env: { ...process.env, LITELLM_LOG: "ERROR", LITELLM_MASTER_KEY: "sk-bench", LITELLM_LOCAL_MODEL_COST_MAP: "True" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  if (!(await answersWithin(`http://127.0.0.1:${port}/health/liveliness`, 180_000))) {
    child.kill("SIGKILL");
    console.error("LiteLLM did not start within 180 s");
    return null;
  }
  return { name: "litellm", chatUrl: `http://127.0.0.1:${port}/chat/completions`, headers: auth, pid: child.pid ?? null, streamModel: "gpt-4o-stream64", slowModel: "gpt-4o-20ms", child };
}

/** Resident and peak resident memory of a process, in MiB (Linux /proc). */
export function memoryOf(pid: number | null): { rss: number; peak: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

async function answersWithin(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return true;
    await Bun.sleep(500);
  }
  return false;
}
