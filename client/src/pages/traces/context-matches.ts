import type { TraceFilters, TraceSummary } from "../../api/types.ts";

/** Whether a live trace passes the user, session, tag and metadata filters (as the API reads them). */
export function contextMatches(trace: TraceSummary, filters: TraceFilters): boolean {
  if (filters.user && trace.user_id !== filters.user) return false;
  if (filters.session && trace.session_id !== filters.session) return false;
  if (filters.tag?.some((tag) => !(trace.tags ?? []).includes(tag))) return false;
  for (const [key, wanted] of Object.entries(filters.metadata ?? {})) {
    if (!metadataHas(trace.metadata, key, wanted)) return false;
  }
  return true;
}

/** The key nested by its dots, or flat with dots in it; a number or boolean matches its text. */
function metadataHas(metadata: unknown, key: string, wanted: string): boolean {
  const flat = isObject(metadata) ? metadata[key] : undefined;
  const nested = key.split(".").reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), metadata);
  return [flat, nested].some((v) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) === wanted : v === null && wanted === "null"));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
