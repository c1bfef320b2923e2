import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { dashboardRoutes } from "./dashboard-routes.ts";

function fakeBuild(): string {
  const dist = tempDir("kalmia-dist-");
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dist, "assets", "app.js"), "console.log('app')");
  return dist;
}

async function appFor(distDir: string) {
  const app = new Elysia().use(dashboardRoutes({ distDir })).get("/api/health", () => ({ ok: true }));
  await app.modules;
  return app;
}

const get = async (app: { handle(request: Request): Promise<Response> }, path: string) => app.handle(new Request(`http://localhost${path}`));

describe("dashboard", () => {
  test("a reload on any client route gets the app shell with a strict CSP", async () => {
    const app = await appFor(fakeBuild());
    for (const path of ["/", "/traces", "/traces/some-trace-id", "/projects/some-project"]) {
      const response = await get(app, path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("img-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
    }
  });

  test("built assets are served with the security headers and the API is untouched", async () => {
    const app = await appFor(fakeBuild());
    const asset = await get(app, "/assets/app.js");
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain("console.log");
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await (await get(app, "/api/health")).json()).toEqual({ ok: true });
  });

  test("without a build the dashboard says how to make one", async () => {
    const app = await appFor(tempDir("kalmia-empty-"));
    const response = await get(app, "/");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build");
  });
});

describe("an unknown path", () => {
  test("outside /api gets the app's own page with status 404, so the dashboard can say 'Page not found'", async () => {
    const app = await appFor(fakeBuild());
    for (const path of ["/nope/page", "/nope", "/traces-typo"]) {
      const response = await get(app, path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
  });

  test("without a build it is still an HTML page, 404, with a link back", async () => {
    const response = await get(await appFor(tempDir("kalmia-empty-")), "/nope/page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<a href="/">');
  });
});
