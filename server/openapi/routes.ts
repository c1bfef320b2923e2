import { Elysia, type AnyElysia } from "elysia";
import { securityHeaders } from "../dashboard/security-headers.ts";
import { openapiDocument } from "./openapi-document.ts";
import { referencePage } from "./reference-page.ts";

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document) and GET /api/reference (it as a page). Public:
 * they describe the API and hold no data (SECURITY.md). `root` is the whole app, whose routes they
 * describe; the document is made again only when routes were added (the dashboard's files register
 * a moment after the start).
 */
export function openapiRoutes(root: () => AnyElysia) {
  let cached: { routes: number; document: ReturnType<typeof openapiDocument>; json: string; page: string } | null = null;
  const current = () => {
    const app = root();
    if (cached?.routes !== app.routes.length) {
      const document = openapiDocument(app);
      cached = { routes: app.routes.length, document, json: JSON.stringify(document), page: referencePage(document as never) };
    }
    return cached;
  };
  return new Elysia()
    .get("/api/openapi.json", () => new Response(current().json, { headers: { "content-type": "application/json" } }))
    .get("/api/reference", () => new Response(current().page, { headers: { ...securityHeaders, "content-type": "text/html; charset=utf-8" } }));
}
