import { Elysia } from "elysia";
import type { Metrics } from "./metrics.ts";

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
        responses: { 200: { description: "Prometheus text exposition", content: { "text/plain": { schema: { type: "string" } } } } },
      },
    },
  );
