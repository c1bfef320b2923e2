import type { SpanStart } from "./proxy-span.ts";

/**
 * Where in-flight state goes: this replica's live feed, without touching the
 * database. It takes a builder, so that with no dashboard open the proxy's
 * request path builds nothing.
 */
export type ProgressSink = (change: () => { traces: object[]; spans: object[] }) => void;

// Often enough for text to visibly grow, rarely enough that a fast stream
// costs the feed a handful of events per second, not one per token.
export const PROGRESS_EVERY_MS = 100;

type InFlight = Omit<SpanStart, "scrub"> & { spanId: string; traceId: string; start: number };

/**
 * A proxied call as the dashboard sees it while it runs (DESIGN.md's Span and
 * Trace shapes, status running). The trace is included only when the call is
 * a trace of its own: a call joining an agent run must not stand in for it.
 */
export function inFlightChange(call: InFlight, output: unknown) {
  const parent = call.tags.parentSpanId ?? call.tags.traceId;
  const span = {
    id: call.spanId,
    span_id: call.spanId,
    trace_id: call.traceId,
    root_span_id: call.traceId,
    span_parents: parent && parent !== call.spanId ? [parent] : [],
    project: call.tags.project,
    name: call.tags.name ?? call.name,
    type: "llm",
    status: "running",
    input: call.input,
    output,
    metadata: { ...call.metadata, provider: call.provider, model: call.model },
    error: null,
    metrics: { start: call.start, end: null },
  };
  const ownTrace = call.tags.traceId === null;
  const trace = {
    id: call.traceId,
    project: call.tags.project,
    experiment_id: null,
    name: span.name,
    source: "proxy",
    provider: call.provider,
    model: call.model,
    status: "running",
    input: call.input,
    output,
    metadata: null,
    error: null,
    start_time: new Date(call.start * 1000).toISOString(),
    end_time: null,
    duration_ms: null,
    ttft_ms: null,
    prompt_tokens: null,
    completion_tokens: null,
    total_tokens: null,
    cached_tokens: null,
    cost_usd: null,
    span_count: 1,
  };
  return { traces: ownTrace ? [trace] : [], spans: [span] };
}
