import { Elysia } from "elysia";
import type { AppDeps } from "../app-deps.ts";
import { bearerToken, cookieValue, type Keyring } from "../auth/api-keys.ts";
import { jsonResponse } from "../errors.ts";
import { createHealthCheck } from "./check-health.ts";
import { answers } from "../openapi/describe.ts";
import { Health } from "../openapi/schemas.ts";

/**
 * GET /api/health: 200 `{ok: true, db}` when writes can be stored, else 503 `{ok: false, db, reason}`,
 * so a Docker HEALTHCHECK or a load balancer acts. Open to all, so it says no more than that; the
 * writer's counters and the search index's lag need a key (or the keyless mode, which serves this
 * machine only).
 */
const PENDING_TIMEOUT_MS = 1_000;

export const healthRoutes = (deps: AppDeps, keyring: Keyring) => {
  const check = createHealthCheck(deps);
  const mayReadDetails = async (request: Request): Promise<boolean> => {
    if (!keyring.required || keyring.isKey(bearerToken(request.headers.get("authorization")))) return true;
    // A session is checked against sign-outs in the database; when that fails, no details.
    return keyring.isSession(cookieValue(request.headers.get("cookie"), keyring.cookieName())).catch(() => false);
  };
  // pending_spans: written, not yet searchable; null when the database does not answer (asked only
  // when it just did, and never waited on past PENDING_TIMEOUT_MS: a health check must not hang).
  const searchIndexDetails = async (reachable: boolean) => ({
    pending_spans: reachable
      ? await Promise.race([deps.store.searchIndexer.pendingSpans().catch(() => null), Bun.sleep(PENDING_TIMEOUT_MS).then(() => null)])
      : null,
    ...deps.store.searchIndexer.stats(),
  });
  return new Elysia().get("/api/health", async ({ request }) => {
    const health = await check();
    const details = (await mayReadDetails(request)) ? { writer: deps.writer.stats(), search_index: await searchIndexDetails(health.ok) } : {};
    const body = { ...health, db: deps.store.kind, ...details };
    return jsonResponse(health.ok ? 200 : 503, body);
  }, {
    detail: {
      summary: "Health",
      description: "Whether writes can be stored; the writer's counters only with a key or a session (or in keyless mode).",
      tags: ["operations"],
      responses: answers({ 200: ["writes can be stored", Health], 503: ["they cannot now: the reason is given", Health] }),
    },
  });
};
