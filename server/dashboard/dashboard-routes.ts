import { staticPlugin } from "@elysiajs/static";
import { Elysia } from "elysia";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { securityHeaders } from "./security-headers.ts";

const defaultDist = resolve(import.meta.dir, "../../client/dist");

/** Client-side routes: a reload on any of them gets the app shell. */
const appRoutes = ["/", "/traces", "/traces/*", "/sessions", "/sessions/*", "/users"];

/**
 * Serves the built dashboard (client/dist): hashed assets through
 * @elysiajs/static, and index.html for every client route, all with the
 * security headers. Without a build it explains how to make one.
 *
 * Synchronous on purpose: the shell routes exist as soon as the app does;
 * the static plugin (async: it lists the files) registers the assets a
 * moment later, before any page could ask for them.
 */
export function dashboardRoutes(options: { distDir?: string } = {}) {
  const dist = options.distDir ?? defaultDist;
  const indexPath = join(dist, "index.html");
  const app = new Elysia({ name: "kalmia-dashboard" });

  if (!existsSync(indexPath)) {
    const page = notBuiltPage();
    for (const path of appRoutes) app.get(path, () => page.clone());
    return app;
  }

  // Read once: the shell is tiny, and serving it from memory keeps a reload instant.
  const shell = readFileSync(indexPath, "utf8");
  const assets = staticPlugin({
    assets: dist,
    prefix: "/",
    alwaysStatic: true,
    indexHTML: false,
    ignorePatterns: [/index\.html$/],
    headers: securityHeaders,
    silent: true,
  });
  app.use(assets);
  for (const path of appRoutes) {
    app.get(path, () => new Response(shell, { headers: { ...securityHeaders, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" } }));
  }
  return app;
}

function notBuiltPage(): Response {
  const body = "Kalmia's dashboard is not built yet. Run `npm run build` (vite build → client/dist), then restart the server.\n";
  return new Response(body, { status: 503, headers: { ...securityHeaders, "content-type": "text/plain; charset=utf-8" } });
}
