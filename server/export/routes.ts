import { Elysia, t } from "elysia";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import { parseListQuery } from "../traces/parse-list-query.ts";
import { EXPORT_PAGE_TRACES, exportStream } from "./export-stream.ts";
import { answers } from "../openapi/describe.ts";
import { ErrorBody, IngestTrace, TraceListQuery } from "../openapi/schemas.ts";

/**
 * GET /api/v1/traces/export: the traces matching the list's filters as
 * NDJSON in the ingest format. Registered before GET /api/v1/traces/:id,
 * which would otherwise take "export" for a trace id.
 */
export const exportRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/v1/traces/export", async ({ request }) => {
    const params = new URL(request.url).searchParams;
    // The list's limit bounds a page; an export has no pages, so it is ignored.
    params.delete("limit");
    const parsed = parseListQuery(params);
    if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
    // The list's order and cursor are checked but not used: an export streams every match, newest first.
    const { filter, project } = parsed.value;
    const headers = {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="kalmia-traces${project ? `-${project.replace(/[^\w.-]/g, "_")}` : ""}.ndjson"`,
      "cache-control": "no-store",
    };
    let projectId: string | undefined;
    if (project) {
      projectId = (await deps.store.projects.idOf(project)) ?? undefined;
      if (!projectId) return new Response("", { headers });
    }
    const stream = await exportStream(deps.store.db, { ...filter, projectId }, EXPORT_PAGE_TRACES[deps.store.kind]);
    return new Response(stream, { headers });
  }, {
    query: t.Omit(TraceListQuery, ["limit"]),
    detail: {
      summary: "Export traces as NDJSON",
      description: "The traces matching the list's filters, one JSON trace a line in the ingest format (POST it back to /api/v1/traces/ingest).",
      tags: ["traces"],
      responses: answers({ 200: ["one trace a line", { "application/x-ndjson": IngestTrace }], 400: ["a parameter that cannot be read, named", ErrorBody] }),
    },
  });
