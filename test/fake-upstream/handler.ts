import { bodyIds, nextRequestId } from "./ids.ts";
import type { RequestLog } from "./request-log.ts";
import { jsonResponse, untilAborted } from "./respond.ts";
import { routeOf } from "./routes.ts";
import { readScenario } from "./scenario.ts";

/** The fake upstream's whole HTTP surface: both providers' routes plus `/_fake/requests`. */
export function fakeUpstreamHandler(log: RequestLog) {
  return async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === "/_fake/requests") {
      if (request.method === "DELETE") log.clear();
      return jsonResponse(log.all(), 200, {});
    }
    const { route, id } = routeOf(request.method, path, request.headers);
    if (!route) return jsonResponse({ error: { message: `Unknown path ${request.method} ${path}`, type: "invalid_request_error" } }, 404, {});
    const scenario = readScenario(request.headers);
    const requestId = scenario.echo === null ? nextRequestId() : `req_${scenario.echo}`;
    const { bodyText } = await log.record(request, requestId);
    if (scenario.latencyMs > 0) await Promise.race([Bun.sleep(scenario.latencyMs), untilAborted(request.signal)]);
    if (scenario.names.has("hang")) {
      await untilAborted(request.signal);
      return new Response(null, { status: 499 });
    }
    const status = route.reject(request.headers) ?? scenario.errorStatus;
    if (status !== null) return route.error(status, requestId, scenario.echo);
    const body = parseJson(bodyText);
    if (!body.ok) return route.error(400, requestId, scenario.echo);
    return route.answer({ body: body.value, ids: bodyIds(idSource(body.value, bodyText)), scenario, signal: request.signal, requestId, id });
  };
}

/** Ids ignore stream_options, so a proxy that asks for usage on the caller's behalf gets the same ids. */
function idSource(body: any, text: string): string {
  return body && typeof body === "object" && "stream_options" in body ? JSON.stringify({ ...body, stream_options: undefined }) : text;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
