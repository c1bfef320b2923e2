import type { TraceFilters, TraceSummary } from "../../api/types.ts";
import { contextMatches } from "./context-matches.ts";

/** Whether a trace arriving live belongs in a list filtered this way (mirrors the API's filters). */
export function traceMatches(trace: TraceSummary, filters: TraceFilters): boolean {
  if (filters.project && trace.project !== filters.project) return false;
  if (filters.provider && trace.provider !== filters.provider) return false;
  if (filters.model && trace.model !== filters.model) return false;
  if (filters.status && trace.status !== filters.status) return false;
  if (filters.has_errors) {
    const failed = (trace.error_count ?? 0) > 0 || trace.status === "error";
    if (failed !== (filters.has_errors === "true")) return false;
  }
  if (!contextMatches(trace, filters)) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = [trace.name, trace.model, trace.id, textOf(trace.input), textOf(trace.output)].join("\n").toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
