import type { TraceFilters, TraceSummary } from "../../api/types.ts";
import { toDate } from "../../lib/time.ts";
import { contextMatches } from "./context-matches.ts";

/** Whether a trace arriving live belongs in a list filtered this way (mirrors the API's filters). */
export function traceMatches(trace: TraceSummary, filters: TraceFilters): boolean {
  if (filters.project && trace.project !== filters.project) return false;
  if (filters.provider && trace.provider !== filters.provider) return false;
  if (filters.model && trace.model !== filters.model) return false;
  // A trace that just arrived was just written: never stale.
  if (filters.status && trace.status !== filters.status) return false;
  if (!withinRange(trace, filters)) return false;
  if (filters.has_errors) {
    const failed = (trace.error_count ?? 0) > 0 || trace.status === "error";
    if (failed !== (filters.has_errors === "true")) return false;
  }
  if (filters.since || filters.until) {
    const start = toDate(trace.start_time)?.getTime() ?? Number.NaN;
    if (filters.since && !(start >= Date.parse(filters.since))) return false;
    if (filters.until && !(start <= Date.parse(filters.until))) return false;
  }
  if (filters.score_name && !scoreMatches(trace, filters)) return false;
  if (!contextMatches(trace, filters)) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = [trace.name, trace.model, trace.id, textOf(trace.input), textOf(trace.output)].join("\n").toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

function withinRange(trace: TraceSummary, filters: TraceFilters): boolean {
  const start = toDate(trace.start_time)?.getTime();
  if (start === undefined) return true;
  if (filters.since && start < Date.parse(filters.since)) return false;
  if (filters.until && start > Date.parse(filters.until)) return false;
  return true;
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The score filter, as far as a listed trace shows it: its mean of that score in the range. (The API
 * asks for any one score in the range, and a label, which means do not show: such a trace waits for
 * the next load.)
 */
function scoreMatches(trace: TraceSummary, filters: TraceFilters): boolean {
  const mean = trace.scores?.[filters.score_name!];
  if (mean === undefined || filters.score_label) return false;
  if (filters.score_min && mean < Number(filters.score_min)) return false;
  if (filters.score_max && mean > Number(filters.score_max)) return false;
  return true;
}
