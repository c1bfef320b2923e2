import { findJsonProblem } from "../../server/http/check-json-value.ts";
import { LIMITS } from "../../server/http/limits.ts";
import { metricProblem } from "./row-bounds.ts";
import type { SpanRowInput, TraceFields } from "./span-row.ts";

// Warnings kept per row: a body with a thousand bad strings needs one or two to be understood.
const MAX_WARNINGS = 5;
const CUT = `[cut: nested deeper than ${LIMITS.depth} levels]`;

type Found = { warnings: string[] };

function cleanString(value: string, path: string, found: Found): string {
  let clean = value;
  if (clean.length > LIMITS.stringChars) {
    clean = `${clean.slice(0, LIMITS.stringChars)}…[cut]`;
    note(found, `${path} was longer than ${LIMITS.stringChars} characters; cut`);
  }
  if (clean.includes("\u0000")) {
    clean = clean.replaceAll("\u0000", "\uFFFD");
    note(found, `${path} held NUL characters; replaced by U+FFFD`);
  }
  if (!clean.isWellFormed()) {
    clean = clean.toWellFormed();
    note(found, `${path} held unpaired UTF-16 surrogates; replaced by U+FFFD`);
  }
  return clean;
}

function note(found: Found, warning: string) {
  if (found.warnings.length < MAX_WARNINGS) found.warnings.push(warning);
}

/** `value` with what jsonb cannot hold (or the API bounds) cut or replaced; the same object when clean. */
function clampValue(value: unknown, depth: number, path: string, found: Found): unknown {
  if (typeof value === "string") return cleanString(value, path, found);
  if (typeof value === "bigint") {
    note(found, `${path} was a BigInt; stored as its decimal string`);
    return value.toString();
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= LIMITS.depth) {
    note(found, `${path} nested deeper than ${LIMITS.depth} levels; cut there`);
    return CUT;
  }
  let changed = false;
  if (Array.isArray(value)) {
    const out = value.map((item, i) => {
      const clean = clampValue(item, depth + 1, `${path}[${i}]`, found);
      if (clean !== item) changed = true;
      return clean;
    });
    return changed ? out : value;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const cleanKey = cleanString(key, `${path} key`, found);
    const clean = clampValue(item, depth + 1, `${path}.${cleanKey.slice(0, 40)}`, found);
    if (clean !== item || cleanKey !== key) changed = true;
    out[cleanKey] = clean;
  }
  return changed ? out : value;
}

/** Metrics past what a column holds are left out (still named in the warning), never stored wrong. */
function clampMetrics(metrics: Record<string, unknown>, found: Found): Record<string, unknown> {
  let out = metrics;
  for (const [key, value] of Object.entries(metrics)) {
    const problem = metricProblem(key, value);
    if (!problem) continue;
    if (out === metrics) out = { ...metrics };
    delete out[key];
    note(found, `metrics.${key} ${problem}; left out`);
  }
  if (typeof out.start === "number" && typeof out.end === "number" && out.end < out.start) {
    note(found, "metrics.end was before metrics.start; end set to start");
    out = { ...out, end: out.start };
  }
  return out;
}

const hasBadMetric = (metrics: unknown) =>
  typeof metrics === "object" && metrics !== null &&
  (Object.entries(metrics).some(([key, value]) => metricProblem(key, value) !== null) ||
    (metrics as { end?: unknown }).end! < (metrics as { start?: unknown }).start!);

function clampRow(row: SpanRowInput): SpanRowInput {
  // The common case, a clean row, is one walk without a copy.
  if (!hasBadMetric(row.metrics) && !findJsonProblem(row, "")) return row;
  const found: Found = { warnings: [] };
  let clean = clampValue(row, 0, "row", found) as SpanRowInput;
  if (clean.metrics && typeof clean.metrics === "object") {
    const metrics = clampMetrics(clean.metrics, found);
    if (metrics !== clean.metrics) clean = { ...clean, metrics };
  }
  if (found.warnings.length === 0) return row;
  const metadata = clean.metadata && typeof clean.metadata === "object" ? clean.metadata : {};
  return { ...clean, metadata: { ...metadata, kalmia_warnings: found.warnings } };
}

function clampTrace(trace: TraceFields): TraceFields {
  if (!metricProblem("start", trace.start) && !findJsonProblem(trace, "")) return trace;
  const found: Found = { warnings: [] };
  let clean = clampValue(trace, 0, "trace", found) as TraceFields;
  if (metricProblem("start", clean.start)) {
    note(found, `start ${metricProblem("start", clean.start)}; left out`);
    clean = { ...clean, start: null };
  }
  if (found.warnings.length === 0) return trace;
  const metadata = clean.metadata && typeof clean.metadata === "object" ? clean.metadata : {};
  return { ...clean, metadata: { ...metadata, kalmia_warnings: found.warnings } };
}

/**
 * A write as the database can hold it. The API refuses bad rows before this (a 4xx naming the
 * field), so for its rows this only looks; what the proxy and OTLP record is never refused (the
 * call already happened): a value nested too deep is cut at the limit, NUL characters and unpaired
 * surrogates are replaced, numbers no column holds are left out, and the row's
 * `metadata.kalmia_warnings` says what was changed. One walk over clean rows, no copy.
 */
export function clampWrite(rows: SpanRowInput[], traces: TraceFields[]): { rows: SpanRowInput[]; traces: TraceFields[] } {
  return { rows: mapSame(rows, clampRow), traces: mapSame(traces, clampTrace) };
}

function mapSame<T>(items: T[], clamp: (item: T) => T): T[] {
  let out: T[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const clean = clamp(items[i]!);
    if (clean !== items[i]) (out ??= items.slice())[i] = clean;
  }
  return out ?? items;
}
