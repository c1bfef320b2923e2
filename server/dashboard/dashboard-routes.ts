import { staticPlugin } from "@elysiajs/static";
import { Elysia } from "elysia";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { notFound } from "../errors.ts";
import { securityHeaders } from "./security-headers.ts";

const defaultDist = resolve(import.meta.dir, "../../client/dist");

/** Client-side routes: a reload on any of them gets the app shell. */
const appRoutes = ["/", "/traces", "/traces/*", "/projects/*", "/sessions", "/sessions/*", "/users"];

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

  const built = existsSync(indexPath);
  // Any other GET: outside /api a person followed a link or typed a path, and gets a page, 404
  // (the app's own "Page not found" with a way back); under /api a program did, and gets the JSON
  // error as before (server/app.ts maps it). Registered first, matched last: it is a wildcard.
  const notFoundPage = built ? readFileSync(indexPath, "utf8") : NOT_FOUND_HTML;
  app.get("*", ({ request }) => {
    const path = new URL(request.url).pathname;
    if (path === "/api" || path.startsWith("/api/")) throw notFound("no such route");
    return new Response(notFoundPage, { status: 404, headers: htmlHeaders });
  }, { detail: { hide: true } });

  if (!built) {
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
  for (const path of appRoutes) app.get(path, () => new Response(shell, { headers: htmlHeaders }));
  return app;
}

const htmlHeaders = { ...securityHeaders, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" };
const NOT_FOUND_HTML = '<!doctype html><meta charset="utf-8"><title>Not found · Kalmia</title><h1>Page not found</h1><p><a href="/">Back to Kalmia</a></p>\n';

function notBuiltPage(): Response {
  const body = "Kalmia's dashboard is not built yet. Run `npm run build` (vite build → client/dist), then restart the server.\n";
  return new Response(body, { status: 503, headers: { ...securityHeaders, "content-type": "text/plain; charset=utf-8" } });
}
