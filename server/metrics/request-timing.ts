import type { Metrics } from "./metrics.ts";

// Labels for requests that have no route template: refused before routing, or routed nowhere.
const REFUSED = "(refused)";
const UNMATCHED = "(unmatched)";

// The arrival time rides on the request itself: the hooks below take only the parts of Elysia's
// context they name (request, route, responseValue). A hook that takes the whole context makes
// Elysia prepare all of it (query, headers, cookies) for every request: +2 µs each in
// bench/metrics-cost.ts, where this way costs the counters' 0.5 µs alone.
const STARTED = Symbol("kalmia.startedAt");
type Timed = Request & { [STARTED]?: number };

const secondsSince = (request: Timed) => (performance.now() - (request[STARTED] ?? performance.now())) / 1000;

/**
 * Times every request for kalmia_http_requests_total and its histogram, from app.ts's hooks. Counted
 * in onAfterHandle (inline after the handler) and onError, not onAfterResponse: Elysia runs the
 * latter through a setImmediate closure per request.
 */
export function requestTiming(metrics: Metrics) {
  return {
    /** onRequest: notes the arrival and runs the guard; its refusal is counted here, as no later hook sees it. */
    async guarded(request: Request, guard: (request: Request) => Promise<Response | undefined>): Promise<Response | undefined> {
      (request as Timed)[STARTED] = performance.now();
      const refusal = await guard(request);
      if (refusal) metrics.request(request.method, REFUSED, refusal.status, secondsSince(request));
      return refusal;
    },
    /** onError: the answer the error was mapped to (with no route matched, the route is unknown). */
    failed(request: Request, route: string | undefined, response: Response): Response {
      metrics.request(request.method, route ?? UNMATCHED, response.status, secondsSince(request));
      return response;
    },
    /** onAfterHandle: a handler's answer (a Response as it is, anything else is JSON 200). */
    answered(request: Request, route: string | undefined, value: unknown) {
      metrics.request(request.method, route ?? UNMATCHED, value instanceof Response ? value.status : 200, secondsSince(request));
    },
  };
}
