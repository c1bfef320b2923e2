import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isPlausibleAuthority } from "../../server/auth/request-target.ts";
import { startInProcess, type InProcessKalmia } from "../harness/in-process.ts";
import { rawHttp, requestText } from "../harness/raw-http.ts";
import { parseDockerfile } from "./dockerfile.ts";

// What the team deployment exposes, read from the files as shipped: the compose file, nginx's
// configuration and the Dockerfile (SECURITY.md, "Deploying").

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const composeText = read("docker-compose.yml");
const compose = Bun.YAML.parse(composeText) as any;
const nginx = read("deploy/nginx.conf");
const site = read("deploy/kalmia.conf.template");
const stages = parseDockerfile(read("Dockerfile"));

/** The directives of a config, comments dropped, whitespace collapsed. */
const directives = (conf: string) =>
  conf.split("\n").map((line) => line.replace(/#.*/, "").trim().replace(/\s+/g, " ")).filter(Boolean);

describe("docker-compose.yml", () => {
  test("every image is pinned to a release, never a floating major or :latest", () => {
    const images = Object.values(compose.services).map((s: any) => s.image).filter(Boolean) as string[];
    expect(images.length).toBe(2);
    for (const image of images) expect(image).toMatch(/^[a-z0-9/-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
  });

  test("the database password has no default: compose refuses to start without one", () => {
    expect(composeText).not.toMatch(/POSTGRES_PASSWORD:-/);
    expect(compose.services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    for (const name of ["kalmia-a", "kalmia-b"]) {
      expect(compose.services[name].environment.DATABASE_URL).toMatch(/^postgres:\/\/kalmia:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/kalmia$/);
    }
  });

  test("only nginx publishes ports, and serves TLS with a mounted certificate for a required name", () => {
    for (const [name, service] of Object.entries(compose.services) as [string, any][]) {
      if (name !== "balancer") expect({ name, ports: service.ports }).toEqual({ name, ports: undefined });
    }
    const balancer = compose.services.balancer;
    expect(balancer.ports).toContain("443:443");
    expect(balancer.volumes).toContain("./deploy/tls:/etc/nginx/tls:ro");
    expect(balancer.volumes).toContain("./deploy/kalmia.conf.template:/etc/nginx/templates/kalmia.conf.template:ro");
    expect(balancer.environment.KALMIA_HOSTNAME).toMatch(/^\$\{KALMIA_HOSTNAME:\?/);
  });
});

describe("deploy/nginx.conf and kalmia.conf.template", () => {
  const all = [...directives(nginx), ...directives(site)];

  test("nginx does not announce its version", () => {
    expect(directives(nginx)).toContain("server_tokens off;");
  });

  test("a default server answers every other name, and bare addresses, with nothing", () => {
    const http = directives(nginx);
    const start = http.indexOf("listen 80 default_server;");
    expect(start).toBeGreaterThan(-1);
    const block = http.slice(start, http.indexOf("}", start));
    expect(block).toContain("listen 443 ssl default_server;");
    expect(block).toContain("ssl_reject_handshake on;");
    expect(block).toContain("return 444;");
    expect(all.filter((d) => d.startsWith("server_name"))).toEqual(["server_name ${KALMIA_HOSTNAME};", "server_name ${KALMIA_HOSTNAME};"]);
  });

  test("plain HTTP only redirects; Kalmia is served over TLS with the mounted certificate", () => {
    const http = directives(site).slice(0, directives(site).indexOf("}"));
    expect(http).toContain("return 301 https://$host$request_uri;");
    expect(http.some((d) => d.startsWith("proxy_pass"))).toBe(false);
    expect(all).toContain("listen 443 ssl;");
    expect(all).toContain("ssl_certificate /etc/nginx/tls/fullchain.pem;");
    expect(all).toContain("ssl_certificate_key /etc/nginx/tls/privkey.pem;");
  });

  test("the upstream Host is fixed, never the client's", () => {
    const hosts = all.filter((d) => d.startsWith("proxy_set_header Host "));
    expect(hosts).toEqual(["proxy_set_header Host kalmia;"]);
    expect(all.join("\n")).not.toMatch(/proxy_set_header Host \$/);
  });

  test("open live feeds and connections are limited per client address", () => {
    expect(all).toContain("limit_conn_zone $binary_remote_addr zone=kalmia_live:10m;");
    const live = all.indexOf("location = /api/v1/live {");
    expect(live).toBeGreaterThan(-1);
    expect(all.slice(live, all.indexOf("}", live))).toContain("limit_conn kalmia_live 20;");
    expect(all).toContain("limit_conn kalmia_conn 256;");
  });
});

describe("the Host nginx sends is one Kalmia serves", () => {
  const KEY = "deploy-host-key";
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
  });
  afterAll(() => kalmia.stop());

  test("a request as nginx forwards it (fixed Host, the browser's name in X-Forwarded-Host) is served", async () => {
    const host = /proxy_set_header Host (\S+);/.exec(site)![1]!;
    expect(isPlausibleAuthority(host)).toBe(true);
    const answer = await rawHttp(kalmia.url, requestText("GET", "/api/v1/traces", [
      `Host: ${host}`, "X-Forwarded-Host: kalmia.example.com", "X-Forwarded-Proto: https", `Authorization: Bearer ${KEY}`,
    ]));
    expect(answer.status).toBe(200);
  });
});

describe("Dockerfile", () => {
  test("base images are pinned to a Bun release, and every install is frozen to package-lock.json", () => {
    for (const stage of stages) {
      if (!stages.some((s) => s.name === stage.from)) expect(stage.from).toMatch(/^oven\/bun:\d+\.\d+\.\d+(-slim)?$/);
    }
    const installs = stages.flatMap((s) => s.steps).filter((s) => s.op === "RUN" && s.args.includes("bun install"));
    expect(installs.length).toBe(2);
    for (const install of installs) expect(install.args).toContain("--frozen-lockfile");
  });
});
