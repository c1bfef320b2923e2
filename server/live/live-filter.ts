import type { LiveEvent } from "./live-event.ts";

/** What a subscriber wants to see; an absent field matches everything. */
export type LiveFilter = {
  project?: string | null;
  traceId?: string | null;
  /** Only these kinds (a traces list needs no span events). */
  kinds?: readonly LiveEvent["kind"][] | null;
};

export function matchesFilter(filter: LiveFilter, event: LiveEvent): boolean {
  if (filter.kinds && !filter.kinds.includes(event.kind)) return false;
  if (filter.project && event.project !== filter.project) return false;
  if (filter.traceId && traceIdOf(event) !== filter.traceId) return false;
  return true;
}

function traceIdOf(event: LiveEvent): unknown {
  const data = event.data as { id?: unknown; trace_id?: unknown; root_span_id?: unknown };
  return event.kind === "trace" ? data.id : (data.trace_id ?? data.root_span_id);
}
