import { Elysia, type AnyElysia } from "elysia";
import type { AppDeps } from "./app-deps.ts";
import { createKeyring, sessionCookieName } from "./auth/api-keys.ts";
import { createGuard } from "./auth/guard.ts";
import { routedPath } from "./auth/request-target.ts";
import { sessionRoutes } from "./auth/session-routes.ts";
import { errorBody, HttpError, jsonResponse, withoutQueryStrings } from "./errors.ts";
import { experimentRoutes } from "./experiments/routes.ts";
import { exportRoutes } from "./export/routes.ts";
import { healthRoutes } from "./health/routes.ts";
import { ingestRoutes } from "./ingest/routes.ts";
import { dashboardRoutes } from "./dashboard/dashboard-routes.ts";
import { liveRoutes } from "./live/live-routes.ts";
import { requestTiming } from "./metrics/request-timing.ts";
import { metricsRoutes } from "./metrics/routes.ts";
import { openapiRoutes } from "./openapi/routes.ts";
import { otelRoutes } from "./otel/routes.ts";
import { proxyRoutes } from "./proxy/routes.ts";
import { spanRoutes } from "./spans/routes.ts";
import { traceRoutes } from "./traces/routes.ts";
import { facetRoutes } from "./facets/routes.ts";
import { statsRoutes } from "./stats/routes.ts";
import { scoreRoutes } from "./scores/routes.ts";
import { sessionViewRoutes } from "./sessions/routes.ts";
import { userRoutes } from "./users/routes.ts";

export type { AppDeps } from "./app-deps.ts";

/** The whole HTTP surface; errors are mapped to JSON here and nowhere else. */
export function createApp(deps: AppDeps) {
  const keyring = createKeyring(deps.config.apiKeys, {
    // The port listened on (PORT=0 picks one at the start).
    cookieName: () => sessionCookieName(app.server?.port ?? deps.config.port),
    revocations: deps.store.sessionRevocations,
  });
  const guard = createGuard(deps.config, keyring);
  const timing = requestTiming(deps.metrics);
  // standardHostname: false makes the router find the path right after "http://<host>", however
  // short the host; the guard reads the path the same way (auth/request-target.ts routedPath).
  const app = new Elysia({ handler: { standardHostname: false } })
    // Each hook names the parts of the context it reads (request-timing.ts says why).
    .onRequest(({ request }) => timing.guarded(request, guard))
    .onError(({ error, code, request, route }) => timing.failed(request, route, errorResponseOf(error, code, request)))
    .onAfterHandle(({ request, route, responseValue }) => timing.answered(request, route, responseValue))
    .use(sessionRoutes(keyring))
    .use(healthRoutes(deps, keyring))
    .use(ingestRoutes(deps))
    .use(spanRoutes(deps))
    .use(otelRoutes(deps))
    .use(exportRoutes(deps))
    .use(traceRoutes(deps))
    .use(facetRoutes(deps))
    .use(statsRoutes(deps))
    .use(scoreRoutes(deps))
    .use(sessionViewRoutes(deps))
    .use(userRoutes(deps))
    .use(experimentRoutes(deps))
    .use(proxyRoutes(deps))
    .use(liveRoutes(deps.bus))
    .use(metricsRoutes(deps.metrics))
    .use(openapiRoutes((): AnyElysia => app))
    .use(dashboardRoutes());
  return app;
}

/** The one place an error becomes an HTTP answer. */
function errorResponseOf(error: unknown, code: unknown, request: Request): Response {
  if (error instanceof HttpError) return jsonResponse(error.status, errorBody(error.type, error.message));
  if (code === "NOT_FOUND") return jsonResponse(404, errorBody("not_found", "no such route"));
  if (code === "PARSE") return jsonResponse(400, errorBody("invalid_request", "request body could not be parsed"));
  if (code === "VALIDATION") return jsonResponse(400, errorBody("invalid_request", String((error as Error).message)));
  // Query strings may hold credentials (?api_key=, ?token=): never in the log.
  console.error(`kalmia: unexpected error on ${request.method} ${routedPath(request.url)}:`, withoutQueryStrings(error));
  return jsonResponse(500, errorBody("internal_error", "internal error; see the server log"));
}
