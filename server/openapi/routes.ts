import { Elysia, type AnyElysia } from "elysia";
import { securityHeaders } from "../dashboard/security-headers.ts";

type Cached = { routes: number; json: string; page: string };

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document) and GET /api/reference (it as a page). Public:
 * they describe the API and hold no data (SECURITY.md). `root` is the whole app, whose routes they
 * describe; the document is made again only when routes were added (the dashboard's files register
 * a moment after the start). The generator (@elysiajs/openapi) and the page's renderer are loaded
 * on the first request for either: a server nobody asks for its document never carries them
 * (BENCHMARKS.md, "Footprint").
 */
export function openapiRoutes(root: () => AnyElysia) {
  let cached: Cached | null = null;
  const current = async (): Promise<Cached> => {
    const app = root();
    if (cached?.routes !== app.routes.length) {
      const [{ openapiDocument }, { referencePage }] = await Promise.all([import("./openapi-document.ts"), import("./reference-page.ts")]);
      const document = openapiDocument(app);
      cached = { routes: app.routes.length, json: JSON.stringify(document), page: referencePage(document as never) };
    }
    return cached;
  };
  return new Elysia()
    .get("/api/openapi.json", async () => new Response((await current()).json, { headers: { "content-type": "application/json" } }))
    .get("/api/reference", async () => new Response((await current()).page, { headers: { ...securityHeaders, "content-type": "text/html; charset=utf-8" } }));
}
