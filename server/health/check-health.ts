import { sql } from "drizzle-orm";
import type { AppDeps } from "../app-deps.ts";

// Rows waiting this long with no batch settled: the writer is wedged or the database takes nothing.
// Longer than any batch takes, shorter than a load balancer's patience.
export const STALL_MS = 20_000;
const PROBE_TIMEOUT_MS = 2_000;

/** Why the server cannot do its job, in fixed words (never a driver's message). */
export type Unhealthy = "shutting_down" | "database_unreachable" | "writer_stalled";

/**
 * Whether writes can be stored now: the database answers a trivial query, the writer moves when it
 * has rows, and the server is not stopping. Concurrent checks share one probe.
 */
export function createHealthCheck(deps: Pick<AppDeps, "store" | "writer">) {
  let probe: Promise<boolean> | null = null;
  function reachable(): Promise<boolean> {
    probe ??= Promise.race([
      deps.store.database.rows(sql`select 1`).then(() => true, () => false),
      Bun.sleep(PROBE_TIMEOUT_MS).then(() => false),
    ]).finally(() => (probe = null));
    return probe;
  }
  return async (): Promise<{ ok: true } | { ok: false; reason: Unhealthy }> => {
    if (deps.writer.draining) return { ok: false, reason: "shutting_down" };
    if (!(await reachable())) return { ok: false, reason: "database_unreachable" };
    if (deps.writer.stats().stalled_ms >= STALL_MS) return { ok: false, reason: "writer_stalled" };
    return { ok: true };
  };
}
