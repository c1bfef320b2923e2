import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { UNDOCUMENTED } from "./openapi-document.ts";

const KEY = "kal-openapi-4b2e";

describe("GET /api/openapi.json", () => {
  let kalmia: InProcessKalmia;
  let document: any;
  beforeAll(async () => {
    kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    // Public: it describes the API and holds no data (SECURITY.md), so no key is sent.
    const response = await fetch(`${kalmia.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = await response.json();
  }, 60_000);
  afterAll(() => kalmia?.stop());

  test("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    await SwaggerParser.validate(structuredClone(document));
  });

  test("describes every route the app has, but the dashboard's shell and files and itself", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const route of kalmia.app.routes) {
      if (UNDOCUMENTED.includes(route.path)) continue;
      // The dashboard's built files (client/dist), served when it is built: no API.
      if (route.path.includes(".")) continue;
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      if (!document.paths[path]?.[route.method.toLowerCase()]) missing.push(`${route.method} ${route.path}`);
      checked++;
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(19);
  });

  test("bodies, parameters and answers are described from the routes' schemas", () => {
    const spans = document.paths["/api/v1/spans"].post;
    expect(spans.requestBody.content["application/json"].schema.anyOf).toHaveLength(2);
    expect(Object.keys(spans.responses)).toEqual(expect.arrayContaining(["200", "202", "207", "400", "503"]));
    const list = document.paths["/api/v1/traces"].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(["project", "model", "q", "since", "until", "has_errors", "sort", "order", "limit", "cursor"]));
    expect(list.parameters.every((p: any) => p.in === "query" && p.required === false)).toBe(true);
    expect(document.paths["/api/v1/traces/{id}"].get.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(document.paths["/api/v1/chat/completions"].post.parameters.map((p: any) => p.name)).toContain("x-kalmia-project");
  });

  test("each operation's security is the access policy's: public, the API key or session, or the proxy's header", () => {
    expect(document.paths["/api/health"].get.security).toEqual([]);
    expect(document.paths["/api/v1/traces"].get.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(document.paths["/metrics"].get.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(document.paths["/api/v1/messages"].post.security).toEqual([{ proxyKey: [] }]);
  });

  test("the reference page is public, within the dashboard's CSP, and lists every operation of the document", async () => {
    const response = await fetch(`${kalmia.url}/api/reference`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toContain("<script");
    for (const [path, methods] of Object.entries<any>(document.paths)) {
      for (const method of Object.keys(methods)) expect(page).toContain(`${method.toUpperCase()} ${path.replace(/&/g, "&amp;")}`);
    }
  });

  test("the list's query schema never refuses what Kalmia's own parser takes or names better", async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const odd = await fetch(`${kalmia.url}/api/v1/traces?tag=a&tag=b&limit=5&limit=6&metadata.team=x&q=%ZZ`, { headers: auth });
    expect(odd.status).toBe(200);
    const bad = await fetch(`${kalmia.url}/api/v1/traces?limit=abc`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toContain("limit");
  });
});
