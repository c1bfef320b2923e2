import { Elysia } from "elysia";
import type { ExperimentView } from "../../db/query/list-experiments.ts";
import type { AppDeps } from "../app-deps.ts";
import { answers } from "../openapi/describe.ts";
import { Experiments } from "../openapi/schemas.ts";

// The totals aggregate every trace of every project: at 100k traces that is
// a fraction of a second of PGlite's single thread, and dashboards poll it.
// One computation serves every caller until this replica commits anything
// (so a reader never misses its own write) or, for other replicas' writes,
// for a moment; concurrent callers share the computation in flight.
const FRESH_MS = 2_000;

function sharedTotals(load: () => Promise<ExperimentView[]>, version: () => number) {
  let value: { at: number; version: number; experiments: ExperimentView[] } | null = null;
  let pending: Promise<ExperimentView[]> | null = null;
  return (): Promise<ExperimentView[]> => {
    if (value && value.version === version() && Date.now() - value.at < FRESH_MS) {
      return Promise.resolve(value.experiments);
    }
    pending ??= (async () => {
      const at = Date.now();
      const seen = version();
      const experiments = await load();
      value = { at, version: seen, experiments };
      return experiments;
    })().finally(() => (pending = null));
    return pending;
  };
}

/** GET /api/experiments: one experiment per project, with its totals. */
export const experimentRoutes = (deps: AppDeps) => {
  const totals = sharedTotals(
    () => deps.store.listExperiments(),
    () => deps.writer.stats().commits,
  );
  return new Elysia().get("/api/experiments", async () => ({ experiments: await totals() }), {
    detail: {
      summary: "Experiments with their totals",
      description: "One experiment per project, including those the proxy created.",
      tags: ["traces"],
      responses: answers({ 200: ["every experiment", Experiments] }),
    },
  });
};
