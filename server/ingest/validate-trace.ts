import type { SpanRowInput, TraceFields } from "../../db/span-row.ts";
import { findJsonProblem } from "../http/check-json-value.ts";
import { invalid, isObject, valid, type Checked } from "../http/checked.ts";
import { LIMITS } from "../http/limits.ts";
import { validateSpanRow } from "../spans/validate-span-row.ts";

export type IngestItem = { project: string; trace: TraceFields; rows: SpanRowInput[] };

const OPTIONAL_STRINGS = ["project_id", "name"] as const;

/**
 * Checks one trace of the docs' ingest format and turns its spans into span
 * rows of that trace. A trace is stored whole or not at all, so one bad span
 * rejects its trace (named by index, id and path) and no other.
 */
export function validateTrace(item: unknown, path: string): Checked<IngestItem> {
  if (!isObject(item)) return invalid(path, "must be a trace object");
  const id = item.id;
  if (typeof id !== "string" || !id) return invalid(`${path}.id`, "is required and must be a non-empty string");
  if (id.length > LIMITS.idLength) return invalid(`${path}.id`, `is longer than ${LIMITS.idLength} characters`);
  for (const key of OPTIONAL_STRINGS) {
    const v = item[key];
    if (v !== undefined && v !== null && (typeof v !== "string" || !v)) {
      return invalid(`${path}.${key}`, "must be a non-empty string");
    }
  }
  if (item.metadata !== undefined && item.metadata !== null && !isObject(item.metadata)) {
    return invalid(`${path}.metadata`, "must be an object");
  }
  const spans = item.spans ?? [];
  if (!Array.isArray(spans)) return invalid(`${path}.spans`, "must be an array of spans");
  const { spans: _spans, ...traceLevel } = item;
  const problem = findJsonProblem(traceLevel, path);
  if (problem) return { ok: false, ...problem };

  const start = traceStart(item, path);
  if (!start.ok) return start;
  const metadata = (item.metadata as Record<string, unknown> | undefined) ?? null;
  const rows: SpanRowInput[] = [];
  for (let i = 0; i < spans.length; i++) {
    const checked = validateSpanRow(withIngestDefaults(spans[i], id, metadata), `${path}.spans[${i}]`);
    if (!checked.ok) return checked;
    rows.push(checked.value);
  }
  return valid({
    project: (item.project_id as string | undefined) ?? "default",
    trace: {
      id,
      name: (item.name as string | undefined) ?? null,
      input: item.input,
      output: item.output,
      metadata,
      error: item.error,
      start: start.value,
    },
    rows,
  });
}

/**
 * Ingested spans are finished records: without a status they are done, and
 * llm spans take the trace's provider and model unless they name their own.
 */
function withIngestDefaults(span: unknown, traceId: string, traceMeta: Record<string, unknown> | null) {
  if (!isObject(span)) return span;
  const isLlm = isObject(span.span_attributes) && span.span_attributes.type === "llm";
  const inherited = isLlm && traceMeta ? { provider: traceMeta.provider, model: traceMeta.model } : {};
  const metadata = isObject(span.metadata) || span.metadata === undefined
    ? { ...inherited, ...(span.metadata as object | undefined) }
    : span.metadata;
  const failed = span.error !== undefined && span.error !== null;
  return {
    root_span_id: span.span_id ?? span.id,
    status: failed ? "error" : "ok",
    ...span,
    metadata: isObject(metadata) && Object.keys(metadata).length === 0 ? undefined : metadata,
    trace_id: traceId,
  };
}

/**
 * When the trace happened, for a trace that may carry no spans to say so:
 * `start_time` (ISO 8601, as the export writes it) or `metrics.start` (Unix seconds).
 */
function traceStart(item: Record<string, unknown>, path: string): Checked<number | null> {
  const metrics = isObject(item.metrics) ? item.metrics : {};
  if (typeof metrics.start === "number") return valid(metrics.start);
  if (item.start_time === undefined || item.start_time === null) return valid(null);
  const time = typeof item.start_time === "string" ? Date.parse(item.start_time) : NaN;
  if (Number.isNaN(time)) return invalid(`${path}.start_time`, "must be an ISO 8601 time");
  return valid(time / 1000);
}
