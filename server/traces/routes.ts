import { Elysia } from "elysia";
import type { AppDeps } from "../app-deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { encodeCursor, parseListQuery } from "./parse-list-query.ts";
import { answers } from "../openapi/describe.ts";
import { ErrorBody, TraceId, TraceList, TraceListQuery, TraceWithSpans } from "../openapi/schemas.ts";

/** GET /api/v1/traces (filtered, sorted, keyset-paged, counted) and GET /api/v1/traces/:id. */
export const traceRoutes = (deps: AppDeps) =>
  new Elysia()
    .get("/api/v1/traces", async ({ request }) => {
      const parsed = parseListQuery(new URL(request.url).searchParams);
      if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
      const { filter, project, limit, order } = parsed.value;
      let projectId: string | undefined;
      if (project) {
        const id = await deps.store.projects.idOf(project);
        if (!id) return { traces: [], next_cursor: null, total: 0, total_is_estimate: false };
        projectId = id;
      }
      const page = await deps.store.listTraces({ ...filter, projectId }, limit, order);
      return {
        traces: page.traces,
        next_cursor: page.next === null ? null : encodeCursor(order, page.next),
        total: page.total,
        // Past 100,000 matches `total` is the database's estimate (DESIGN.md).
        total_is_estimate: page.totalIsEstimate,
      };
    }, {
      // Described for the document; parseListQuery checks them and names the one at fault.
      query: TraceListQuery,
      detail: {
        summary: "List traces",
        description: "Newest start time first unless sort/order say otherwise, filtered, keyset-paged by cursor; total counts the matching traces.",
        tags: ["traces"],
        responses: answers({ 200: ["a page of traces", TraceList], 400: ["a parameter that cannot be read, named", ErrorBody] }),
      },
    })
    .get("/api/v1/traces/:id", async ({ params }) => {
      const trace = await deps.store.getTrace(params.id);
      if (!trace) throw notFound(`no trace with id ${params.id}`);
      return trace;
    }, {
      params: TraceId,
      detail: {
        summary: "One trace with all its spans",
        tags: ["traces"],
        responses: answers({ 200: ["the trace", TraceWithSpans], 404: ["no trace with that id", ErrorBody] }),
      },
    });
