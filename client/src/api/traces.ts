import { asQuery } from "./context-query.ts";
import { getJson, withQuery } from "./http.ts";
import type { Facets, Score, Span, TraceDetail, TraceFilters, TracePage, TraceSummary } from "./types.ts";

export const PAGE_SIZE = 100;

export function listTraces(filters: TraceFilters, cursor: string | null, signal?: AbortSignal): Promise<TracePage> {
  return getJson<TracePage>("/api/v1/traces", { ...asQuery(filters), cursor, limit: PAGE_SIZE }, signal);
}

/**
 * The providers and models seen in a project, with counts, for the filter dropdowns; null where the
 * server has no facets (an older one answers 404), and the dashboard falls back to a text box.
 */
export async function listFacets(project: string | undefined, signal?: AbortSignal): Promise<Facets | null> {
  try {
    const facets = await getJson<Partial<Facets>>("/api/v1/facets", { project }, signal);
    return { providers: facets.providers ?? [], models: facets.models ?? [], users: facets.users ?? [], tags: facets.tags ?? [], metadata_keys: facets.metadata_keys ?? [], scores: facets.scores ?? [] };
  } catch {
    return null;
  }
}

/** The API may nest the trace or spread it beside its spans; both read the same. */
export async function getTrace(id: string, signal?: AbortSignal): Promise<TraceDetail> {
  const body = await getJson<{ trace?: TraceSummary; spans?: Span[]; scores?: Score[] | Record<string, number> } & Omit<Partial<TraceSummary>, "scores">>(
    `/api/v1/traces/${encodeURIComponent(id)}`,
    undefined,
    signal,
  );
  // The trace's own answer carries every score; the list's means are left to the list.
  const { spans = [], trace, scores, ...rest } = body;
  return { trace: trace ?? (rest as TraceSummary), spans, scores: Array.isArray(scores) ? scores : [] };
}

/** Where the NDJSON export of the traces matching `filters` downloads from (same filters as the list). */
export function exportUrl(filters: TraceFilters): string {
  return withQuery("/api/v1/traces/export", asQuery(filters));
}
