import { Elysia } from "elysia";
import type { AppDeps } from "../app-deps.ts";

/** GET /api/experiments: one experiment per project, with its totals. */
export const experimentRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/experiments", async () => ({
    experiments: await deps.store.listExperiments(),
  }));
