import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../harness/temp-dir.ts";
import { envPairs, execForm, parseDockerfile, type Stage } from "./dockerfile.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const stages = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
const compose = Bun.YAML.parse(readFileSync(join(root, "docker-compose.yml"), "utf8")) as any;
const ignored = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
const runtime = stages.at(-1)!;
const steps = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op);

describe("the Dockerfile, checked for the usual mistakes", () => {
  test("every stage starts from a pinned official Bun image, never :latest", () => {
    for (const stage of stages) {
      const base = stages.some((s) => s.name === stage.from) ? null : stage.from;
      if (base) expect(base).toMatch(/^oven\/bun:\d+\.\d+\.\d+(-slim)?$/);
    }
    expect(stages.map((s) => s.name)).toEqual(["deps", "build", "runtime"]);
  });

  test("the runtime runs as a non-root user, in exec form, with a health check on /api/health", () => {
    const user = steps(runtime, "USER");
    expect(user.length).toBe(1);
    expect(user[0]!.args).not.toMatch(/^(root|0)$/);
    const cmdIndex = runtime.steps.findIndex((s) => s.op === "CMD");
    expect(runtime.steps.findIndex((s) => s.op === "USER")).toBeLessThan(cmdIndex);
    expect(execForm(steps(runtime, "CMD")[0]!.args)).toEqual(["bun", "server/main.ts"]);
    const health = steps(runtime, "HEALTHCHECK")[0]!.args;
    expect(health).toContain("/api/health");
    expect(health).toMatch(/--interval=\S+ --timeout=\S+/);
  });

  test("it listens on PORT, exposes that port, and keeps its data in a volume", () => {
    const env = Object.fromEntries(steps(runtime, "ENV").flatMap((s) => envPairs(s.args)));
    expect(env.HOST).toBe("0.0.0.0");
    expect(steps(runtime, "EXPOSE")[0]!.args).toBe(env.PORT);
    expect(steps(runtime, "VOLUME")[0]!.args).toBe(env.KALMIA_DATA_DIR);
  });

  test("the lockfile is copied before the install, and the build context leaves out local state", () => {
    const deps = stages[0]!;
    const copyIndex = deps.steps.findIndex((s) => s.op === "COPY" && s.args.includes("package-lock.json"));
    const runIndex = deps.steps.findIndex((s) => s.op === "RUN" && s.args.includes("bun install"));
    expect(copyIndex).toBeGreaterThanOrEqual(0);
    expect(copyIndex).toBeLessThan(runIndex);
    for (const entry of ["node_modules", ".git", ".kalmia", ".venv"]) expect(ignored).toContain(entry);
  });
});

describe("docker-compose.yml, checked for the usual mistakes", () => {
  test("Postgres keeps its data in a volume and reports health; Kalmia waits for it", () => {
    const pg = compose.services.postgres;
    expect(pg.image).toMatch(/^postgres:\d+/);
    expect(pg.volumes[0]).toMatch(/^pgdata:\/var\/lib\/postgresql\/data$/);
    expect(Object.keys(compose.volumes)).toContain("pgdata");
    expect(pg.healthcheck.test.join(" ")).toContain("pg_isready");
    for (const name of ["kalmia-a", "kalmia-b"]) {
      const kalmia = compose.services[name];
      expect(kalmia.depends_on.postgres.condition).toBe("service_healthy");
      expect(kalmia.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
      // Beyond loopback without keys the server refuses to start: compose demands them.
      expect(kalmia.environment.KALMIA_API_KEYS).toMatch(/^\$\{KALMIA_API_KEYS:\?/);
    }
  });

  test("the balancer spreads over both replicas and streams without buffering", () => {
    const nginx = readFileSync(join(root, "deploy/nginx.conf"), "utf8");
    const site = readFileSync(join(root, "deploy/kalmia.conf.template"), "utf8");
    expect(nginx).toContain("server kalmia-a:3000");
    expect(nginx).toContain("server kalmia-b:3000");
    expect(nginx).toContain("include /etc/nginx/conf.d/kalmia.conf;");
    expect(site).toContain("proxy_buffering off");
    expect(compose.services.balancer.volumes[0]).toBe("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro");
  });
});

// Docker-only steps: the image's own user and volume directory do not exist
// on the host, everything else runs as written.
const DOCKER_ONLY = /mkdir -p \/data|chown /;

function copyInto(stageDir: string, source: string, dest: string) {
  const target = join(stageDir, dest === "./" || dest === "." ? "" : dest);
  if (source === ".") {
    cpSync(root, stageDir, {
      recursive: true,
      filter: (path) => !ignored.some((entry) => path === join(root, entry) || path.startsWith(`${join(root, entry)}/`)),
    });
    return;
  }
  mkdirSync(dest.endsWith("/") ? target : dirname(target), { recursive: true });
  cpSync(join(root, source), dest.endsWith("/") ? join(target, source.split("/").at(-1)!) : target, { recursive: true });
}

test("the image's commands, run the same way outside Docker, install, build, start and pass the health check", async () => {
  const dirs = new Map<string, string>();
  // The image has `bun` on its PATH; here it comes from the project's devDependency.
  const binDir = join(root, "node_modules/.bin");
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: `${binDir}:${process.env.PATH}` };
  for (const stage of stages) {
    const dir = tempDir("kalmia-image-");
    const parent = stage.name && dirs.get(stage.from);
    if (parent) cpSync(parent, dir, { recursive: true });
    dirs.set(stage.name ?? "", dir);
    for (const step of stage.steps) {
      if (step.op === "ENV") for (const [k, v] of envPairs(step.args)) env[k] = v;
      if (step.op === "COPY") {
        const parts = step.args.split(/\s+/);
        const from = parts[0]!.startsWith("--from=") ? dirs.get(parts.shift()!.slice(7))! : null;
        const dest = parts.pop()!;
        for (const source of parts) {
          // Each stage's WORKDIR (/app) is its temporary directory here.
          if (from) cpSync(join(from, source.replace(/^\/app\/?/, "")), join(dir, dest), { recursive: true });
          else copyInto(dir, source, dest);
        }
      }
      // Only the parts that need the image's filesystem (/data, the bun user) are left out: without
      // its install, the runtime would run on Bun's auto-install from the global cache, not on its own
      // node_modules.
      const command = step.op === "RUN" ? step.args.split("&&").map((part) => part.trim()).filter((part) => !DOCKER_ONLY.test(part)).join(" && ") : "";
      if (command) {
        const proc = Bun.spawn(["bash", "-c", command], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
        const code = await proc.exited;
        if (code !== 0) throw new Error(`RUN ${command} failed: ${await new Response(proc.stderr).text()}`);
      }
    }
  }
  const app = dirs.get(runtime.name!)!;
  expect(existsSync(join(app, "client/dist/index.html"))).toBe(true);
  expect(existsSync(join(app, "node_modules/vite"))).toBe(false);
  // The npm `bun` package is for `npx kalmia`; the image runs on its own Bun.
  expect(existsSync(join(app, "node_modules/bun"))).toBe(false);
  expect(existsSync(join(app, "node_modules/@electric-sql/pglite"))).toBe(true);

  // A port the kernel says is free: a random one in 40,000–60,000 once met a server of an earlier
  // test listening there (the kernel hands out ports from that range), which answered the health
  // check while the image's own server could not start.
  const probe = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = String(probe.port);
  probe.stop(true);
  const runEnv = { ...env, PORT: port, KALMIA_DATA_DIR: tempDir(), KALMIA_API_KEYS: "image-test-key" };
  const server = Bun.spawn(execForm(steps(runtime, "CMD")[0]!.args), { cwd: app, env: runEnv, stdout: "pipe", stderr: "pipe" });
  try {
    const check = execForm(steps(runtime, "HEALTHCHECK")[0]!.args);
    let healthy = false;
    for (let i = 0; i < 120 && !healthy; i++) {
      await Bun.sleep(500);
      healthy = (await Bun.spawn(check, { cwd: app, env: runEnv }).exited) === 0;
    }
    if (!healthy) {
      server.kill("SIGKILL");
      console.error(await new Response(server.stderr).text());
    }
    expect(healthy).toBe(true);
    const shell = await fetch(`http://127.0.0.1:${port}/`);
    expect(await shell.text()).toContain('<div id="root">');
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
}, 300_000);
