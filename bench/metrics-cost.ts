/**
 * What /metrics costs a request, in CPU: (1) the counters a proxied call moves (kalmia_proxy_calls_total,
 * kalmia_http_requests_total and its histogram), called a million times; (2) an Elysia app shaped like
 * Kalmia's (the guard in onRequest, a proxy-shaped route) handling requests in process, with and
 * without the request-timing hooks of server/app.ts. Minimums of the rounds, as the machine is shared.
 *   ./node_modules/.bin/bun bench/metrics-cost.ts
 */
import { Elysia } from "elysia";
import { createMetrics } from "../server/metrics/metrics.ts";
import { requestTiming } from "../server/metrics/request-timing.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const metrics = createMetrics();

function counters(n: number): { proxyCall: number; request: number } {
  let t = performance.now();
  for (let i = 0; i < n; i++) metrics.proxyCall("openai", "gpt-4o", 200);
  const proxyCall = ((performance.now() - t) * 1000) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) metrics.request("POST", "/api/v1/chat/completions", 200, 0.0012);
  return { proxyCall, request: ((performance.now() - t) * 1000) / n };
}

const guard = async (_request: Request): Promise<Response | undefined> => undefined;
const answer = () => new Response("{}", { headers: { "content-type": "application/json" } });
const plain = new Elysia({ handler: { standardHostname: false } })
  .onRequest(({ request }) => guard(request))
  .post("/api/v1/chat/completions", answer, { parse: "none" });
const timing = requestTiming(metrics);
const timed = new Elysia({ handler: { standardHostname: false } })
  .onRequest(({ request }) => timing.guarded(request, guard))
  .onError(({ request, route }) => timing.failed(request, route, new Response("", { status: 500 })))
  .onAfterHandle(({ request, route, responseValue }) => timing.answered(request, route, responseValue))
  .post("/api/v1/chat/completions", answer, { parse: "none" });

async function perRequest(app: { handle(request: Request): Promise<Response> }, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await app.handle(new Request("http://h/api/v1/chat/completions", { method: "POST", body: "{}" }));
  return ((performance.now() - started) * 1000) / n;
}

const best = { proxyCall: Infinity, request: Infinity, plain: Infinity, timed: Infinity };
for (let round = 0; round < ROUNDS; round++) {
  const c = counters(1_000_000);
  best.proxyCall = Math.min(best.proxyCall, c.proxyCall);
  best.request = Math.min(best.request, c.request);
  best.plain = Math.min(best.plain, await perRequest(plain, 20_000));
  best.timed = Math.min(best.timed, await perRequest(timed, 20_000));
}
console.log(`counters: proxyCall ${best.proxyCall.toFixed(2)} µs, request ${best.request.toFixed(2)} µs`);
console.log(`app.handle per request: without metrics ${best.plain.toFixed(2)} µs, with ${best.timed.toFixed(2)} µs (added ${(best.timed - best.plain).toFixed(2)} µs)`);
