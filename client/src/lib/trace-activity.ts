import type { Span, TraceSummary } from "../api/types.ts";
import { toDate } from "./format.ts";

/** A running trace with no news for this long is probably a job that died. */
export const STALE_AFTER_S = 10 * 60;

/** The last moment anything in the trace was seen to happen, in Unix seconds. */
export function lastActivity(trace: TraceSummary, spans: Span[]): number | null {
  let last = Math.max(seconds(trace.start_time) ?? -Infinity, seconds(trace.end_time) ?? -Infinity);
  for (const span of spans) {
    const m = span.metrics;
    if (typeof m?.end === "number") last = Math.max(last, m.end);
    if (typeof m?.start === "number") last = Math.max(last, m.start);
  }
  return Number.isFinite(last) ? last : null;
}

export function isStale(trace: TraceSummary, spans: Span[], now: number): boolean {
  if (trace.status !== "running") return false;
  const last = lastActivity(trace, spans);
  return last !== null && now - last > STALE_AFTER_S;
}

/** Seconds since the trace started (for a running trace's ticking elapsed time). */
export function elapsedSeconds(trace: TraceSummary, now: number): number | null {
  const start = seconds(trace.start_time);
  return start === null ? null : Math.max(0, now - start);
}

function seconds(value: TraceSummary["start_time"] | undefined): number | null {
  const date = toDate(value ?? null);
  return date ? date.getTime() / 1000 : null;
}
