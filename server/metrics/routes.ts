import { Elysia, t } from "elysia";
import type { Metrics } from "./metrics.ts";
import { answers } from "../openapi/describe.ts";

/** GET /metrics: Prometheus text format, behind the API's keys (server/auth/access-policy.ts). */
export const metricsRoutes = (metrics: Metrics) =>
  new Elysia().get(
    "/metrics",
    async () => new Response(await metrics.text(), { headers: { "content-type": metrics.contentType } }),
    {
      detail: {
        summary: "Prometheus metrics",
        description: "Requests, proxied calls, the writer, the journal, the live feed and the process, in the Prometheus text format (docs/METRICS.md).",
        tags: ["operations"],
        responses: answers({ 200: ["Prometheus text exposition (version 0.0.4)", { "text/plain": t.String() }] }),
      },
    },
  );
