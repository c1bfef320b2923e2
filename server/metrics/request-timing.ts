import type { Metrics } from "./metrics.ts";

/** The request's context as the hooks see it: Elysia's, with the arrival time kept on it. */
type Timed = { request: Request; route?: string; responseValue?: unknown; startedAt?: number };

// Labels for requests that have no route template: refused before routing, or routed nowhere.
const REFUSED = "(refused)";
const UNMATCHED = "(unmatched)";

/**
 * Times every request for kalmia_http_requests_total and its histogram, from app.ts's hooks. Per
 * request: a number kept on the context Elysia already made, and a label lookup at the end. Counted
 * in onAfterHandle (inline after the handler), not onAfterResponse: Elysia runs the latter through
 * a setImmediate closure per request, which cost ~1 µs of a proxied call's CPU; this costs none
 * measurable (/tmp micro-benchmark of app.handle, in the commit message).
 */
export function requestTiming(metrics: Metrics) {
  const seconds = (context: Timed) => (performance.now() - (context.startedAt ?? performance.now())) / 1000;
  return {
    /** onRequest, first. */
    arrived(context: object) {
      (context as Timed).startedAt = performance.now();
    },
    /** The guard's refusal (onRequest), which no later hook sees. */
    refused(context: object, response: Response) {
      const timed = context as Timed;
      metrics.request(timed.request.method, REFUSED, response.status, seconds(timed));
    },
    /** onError: the answer it maps the error to (no route matched: the route is unknown). */
    failed(context: object, response: Response): Response {
      const timed = context as Timed;
      metrics.request(timed.request.method, timed.route ?? UNMATCHED, response.status, seconds(timed));
      return response;
    },
    /** onAfterHandle: a handler's answer (a Response as it is, anything else as JSON 200). */
    answered(context: object) {
      const timed = context as Timed;
      const value = timed.responseValue;
      metrics.request(timed.request.method, timed.route ?? UNMATCHED, value instanceof Response ? value.status : 200, seconds(timed));
    },
  };
}
