import type { SpanRowInput, TraceFields } from "../../db/write/span-row.ts";
import { findJsonProblem } from "../http/check-json-value.ts";
import { invalid, isObject, valid, type Checked } from "../http/checked.ts";
import { ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import { contextProblem } from "../../db/write/trace-context.ts";
import { checkName, checkTime, validateSpanRow } from "../spans/validate-span-row.ts";
import { checkScoreMap } from "../scores/validate-score.ts";
import type { ScoreMap } from "../../db/write/score-row.ts";

export type IngestItem = { project: string; trace: TraceFields; rows: SpanRowInput[] };

/**
 * Checks one trace of the docs' ingest format and turns its spans into span
 * rows of that trace. A trace is stored whole or not at all, so one bad span
 * rejects its trace (named by index, id and path) and no other.
 */
export function validateTrace(item: unknown, path: string): Checked<IngestItem> {
  if (!isObject(item)) return invalid(path, "must be a trace object");
  const checkedId = checkName(item.id, `${path}.id`, true);
  if (!checkedId.ok) return checkedId;
  const id = checkedId.value!;
  const project = checkName(item.project_id, `${path}.project_id`, false, ROW_BOUNDS.projectChars);
  if (!project.ok) return project;
  if (item.name !== undefined && item.name !== null && (typeof item.name !== "string" || !item.name)) {
    return invalid(`${path}.name`, "must be a non-empty string");
  }
  if (item.metadata !== undefined && item.metadata !== null && !isObject(item.metadata)) {
    return invalid(`${path}.metadata`, "must be an object");
  }
  const scores = checkScoreMap(item.scores, `${path}.scores`);
  if (!scores.ok) return scores;
  const context = contextProblem(item);
  if (context) return invalid(`${path}.${context.path}`, context.message);
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
      user_id: item.user_id,
      session_id: item.session_id,
      tags: item.tags,
      start: start.value,
      scores: (item.scores as ScoreMap | undefined) ?? null,
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
  if (item.metrics !== undefined && item.metrics !== null && !isObject(item.metrics)) return invalid(`${path}.metrics`, "must be an object");
  const metrics = isObject(item.metrics) ? item.metrics : {};
  if (metrics.start !== undefined && metrics.start !== null) {
    const checked = checkTime(metrics.start, `${path}.metrics.start`);
    return checked.ok ? valid(metrics.start as number) : checked;
  }
  if (item.start_time === undefined || item.start_time === null) return valid(null);
  const time = typeof item.start_time === "string" ? Date.parse(item.start_time) : NaN;
  if (Number.isNaN(time)) return invalid(`${path}.start_time`, "must be an ISO 8601 time");
  const checked = checkTime(time / 1000, `${path}.start_time`);
  return checked.ok ? valid(time / 1000) : checked;
}
