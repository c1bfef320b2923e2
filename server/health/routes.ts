import { Elysia } from "elysia";
import type { AppDeps } from "../app-deps.ts";

/** GET /api/health: liveness, the backend in use, and the writer's counters. */
export const healthRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/health", () => ({
    ok: true,
    db: deps.store.kind,
    writer: deps.writer.stats(),
  }));
