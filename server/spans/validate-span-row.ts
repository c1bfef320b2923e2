import { SPAN_STATUSES, SPAN_TYPES, type SpanRowInput } from "../../db/write/span-row.ts";
import { findJsonProblem } from "../http/check-json-value.ts";
import { invalid, isObject, valid, type Checked } from "../http/checked.ts";
import { contextProblem } from "../../db/write/trace-context.ts";
import { metricProblem, nameProblem, ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import { checkScoreMap } from "../scores/validate-score.ts";

// Unix seconds from 2000-01-01 to a day from now: anything else is a unit
// mistake (milliseconds) or garbage, and would wreck every time axis.
const EARLIEST = 946_684_800;
const aDayAhead = () => Date.now() / 1000 + 86_400;

const METRICS = ["start", "end", "prompt_tokens", "completion_tokens", "tokens", "prompt_cached_tokens", "prompt_cache_creation_tokens", "time_to_first_token", "cost_usd"];

/** An id or a name (`maxChars`), as every path checks them: non-empty, bounded, storable text. */
export function checkName(value: unknown, path: string, required: boolean, maxChars?: number): Checked<string | undefined> {
  if (value === undefined || value === null) {
    return required ? invalid(path, "is required") : valid(undefined);
  }
  const problem = nameProblem(value, maxChars);
  return problem ? invalid(path, problem) : valid(value as string);
}

/** A time in Unix seconds, in the window the API takes. */
export function checkTime(t: unknown, path: string): Checked<null> {
  if (t === undefined || t === null) return valid(null);
  if (typeof t !== "number" || !Number.isFinite(t)) return invalid(path, "must be Unix seconds (a number)");
  if (t < EARLIEST || t > aDayAhead()) {
    return invalid(path, `${t} is not a plausible time in Unix seconds (2000-01-01 to a day from now)`);
  }
  return valid(null);
}

function checkMetrics(metrics: unknown, path: string): Checked<null> {
  if (metrics === undefined || metrics === null) return valid(null);
  if (!isObject(metrics)) return invalid(path, "must be an object");
  for (const key of ["start", "end"]) {
    const checked = checkTime(metrics[key], `${path}.${key}`);
    if (!checked.ok) return checked;
  }
  const { start, end } = metrics as { start?: number; end?: number };
  if (typeof start === "number" && typeof end === "number" && end < start) {
    return invalid(`${path}.end`, "is before metrics.start");
  }
  for (const key of METRICS) {
    const problem = metricProblem(key, metrics[key]);
    if (problem) return invalid(`${path}.${key}`, problem);
  }
  return valid(null);
}

/**
 * Checks one span row of docs/SPANS.md; the path names the offending field. `clampValues`: the
 * values (input, output, metadata...) are not refused for their depth or text but recorded cleaned
 * by the writer (db/write/clamp-write.ts), as for what OTLP exporters send, who cannot fix a span.
 */
export function validateSpanRow(row: unknown, path: string, { clampValues = false } = {}): Checked<SpanRowInput> {
  if (!isObject(row)) return invalid(path, "must be an object");
  for (const [key, required] of [["id", true], ["span_id", false], ["root_span_id", true], ["trace_id", false]] as const) {
    const checked = checkName(row[key], `${path}.${key}`, required);
    if (!checked.ok) return checked;
  }
  const project = checkName(row.project_id, `${path}.project_id`, false, ROW_BOUNDS.projectChars);
  if (!project.ok) return project;
  if (row.name !== undefined && row.name !== null && typeof row.name !== "string") {
    return invalid(`${path}.name`, "must be a string");
  }
  const parents = row.span_parents;
  if (parents !== undefined && parents !== null) {
    if (!Array.isArray(parents)) return invalid(`${path}.span_parents`, "must be an array of span ids (strings)");
    for (let i = 0; i < parents.length; i++) {
      const checked = checkName(parents[i], `${path}.span_parents[${i}]`, true);
      if (!checked.ok) return checked;
    }
  }
  const attrs = row.span_attributes;
  if (attrs !== undefined && attrs !== null) {
    if (!isObject(attrs)) return invalid(`${path}.span_attributes`, "must be an object");
    if (attrs.name !== undefined && attrs.name !== null && typeof attrs.name !== "string") {
      return invalid(`${path}.span_attributes.name`, "must be a string");
    }
    if (attrs.type !== undefined && attrs.type !== null && !SPAN_TYPES.includes(attrs.type as never)) {
      return invalid(`${path}.span_attributes.type`, `must be one of ${SPAN_TYPES.join(", ")}; got ${JSON.stringify(attrs.type)}`);
    }
  }
  if (row.metadata !== undefined && row.metadata !== null && !isObject(row.metadata)) {
    return invalid(`${path}.metadata`, "must be an object");
  }
  if (row.status !== undefined && row.status !== null && !SPAN_STATUSES.includes(row.status as never)) {
    return invalid(`${path}.status`, `must be one of ${SPAN_STATUSES.join(", ")}`);
  }
  // What OTLP exporters send is cut to its bounds instead (db/write/trace-context.ts).
  const context = clampValues ? null : contextProblem(row);
  if (context) return invalid(`${path}.${context.path}`, context.message);
  const metrics = checkMetrics(row.metrics, `${path}.metrics`);
  if (!metrics.ok) return metrics;
  const scores = checkScoreMap(row.scores, `${path}.scores`);
  if (!scores.ok) return scores;
  const problem = clampValues ? null : findJsonProblem(row, path);
  if (problem) return { ok: false, ...problem };
  return valid(row as SpanRowInput);
}
