import { createSignal } from "solid-js";
import type { TraceSummary } from "../api/types.ts";
import { toDate } from "./time.ts";

/** As the server's `status=stale` (db/query/stale.ts): running, and nothing written for 10 minutes. */
export const STALE_AFTER_MS = 10 * 60_000;

export function isStale(trace: Pick<TraceSummary, "status" | "updated_at">, now = Date.now()): boolean {
  if (trace.status !== "running") return false;
  const updated = toDate(trace.updated_at ?? null);
  return updated !== null && now - updated.getTime() >= STALE_AFTER_MS;
}

// One clock for every row and page: a running trace turns stale with no event to say so.
const [minute, setMinute] = createSignal(Date.now());
let ticking = false;

/** Now, to the quarter minute, as a signal: read it and a view re-checks staleness as time passes. */
export function staleClock(): number {
  if (!ticking && typeof setInterval === "function") {
    ticking = true;
    setInterval(() => setMinute(Date.now()), 15_000);
  }
  return minute();
}
