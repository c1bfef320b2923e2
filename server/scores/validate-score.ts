import { SCORE_SOURCES, type ScoreInput, type ScoreSource } from "../../db/write/score-row.ts";
import { ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import { findJsonProblem } from "../http/check-json-value.ts";
import { invalid, isObject, valid, type Checked } from "../http/checked.ts";
import { checkName } from "../spans/validate-span-row.ts";

/** The bounds of a score (issue 23): a name or label fits a column header, a comment a note. */
export const SCORE_BOUNDS = Object.freeze({ nameChars: 200, labelChars: 200, commentChars: 10_000, authorChars: 200 });

/** Text that is optional, bounded and storable (no NUL, no lone surrogate), or the problem with it. */
function checkText(value: unknown, path: string, maxChars: number): Checked<string | null> {
  if (value === undefined || value === null) return valid(null);
  if (typeof value !== "string") return invalid(path, "must be a string");
  if (value.length > maxChars) return invalid(path, `is longer than ${maxChars} characters`);
  if (value.includes("\u0000")) return invalid(path, "contains a NUL character (\\u0000)");
  if (!value.isWellFormed()) return invalid(path, "contains an unpaired UTF-16 surrogate (invalid Unicode)");
  return valid(value);
}

/**
 * Checks one score of `POST /api/v1/scores` (DESIGN.md) and names the field at fault: `name` and
 * `trace_id` required, exactly one of `value` (a finite number) or `label`. An id is made when
 * there is none; `source` defaults to `defaultSource`.
 */
export function validateScore(item: unknown, path: string, defaultSource: ScoreSource = "api"): Checked<ScoreInput> {
  if (!isObject(item)) return invalid(path, "must be a score object");
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const id = checkName(item.id, at("id"), false);
  if (!id.ok) return id;
  const traceId = checkName(item.trace_id, at("trace_id"), true);
  if (!traceId.ok) return traceId;
  const spanId = checkName(item.span_id, at("span_id"), false);
  if (!spanId.ok) return spanId;
  const project = checkName(item.project, at("project"), false, ROW_BOUNDS.projectChars);
  if (!project.ok) return project;
  const name = checkName(item.name, at("name"), true, SCORE_BOUNDS.nameChars);
  if (!name.ok) return name;
  const hasValue = item.value !== undefined && item.value !== null;
  const hasLabel = item.label !== undefined && item.label !== null;
  if (hasValue === hasLabel) {
    return invalid(at(hasValue ? "label" : "value"), hasValue ? "must be left out when value is given (a score is a number or a label)" : "is required (a finite number), or a label instead");
  }
  if (hasValue && (typeof item.value !== "number" || !Number.isFinite(item.value))) return invalid(at("value"), "must be a finite number");
  const label = checkText(item.label, at("label"), SCORE_BOUNDS.labelChars);
  if (!label.ok) return label;
  if (hasLabel && !label.value) return invalid(at("label"), "must be a non-empty string");
  const comment = checkText(item.comment, at("comment"), SCORE_BOUNDS.commentChars);
  if (!comment.ok) return comment;
  const author = checkText(item.author, at("author"), SCORE_BOUNDS.authorChars);
  if (!author.ok) return author;
  if (item.source !== undefined && item.source !== null && !SCORE_SOURCES.includes(item.source as ScoreSource)) {
    return invalid(at("source"), `must be one of ${SCORE_SOURCES.join(", ")}`);
  }
  if (item.metadata !== undefined && item.metadata !== null) {
    if (!isObject(item.metadata)) return invalid(at("metadata"), "must be an object");
    const problem = findJsonProblem(item.metadata, at("metadata"));
    if (problem) return { ok: false, ...problem };
  }
  return valid({
    id: id.value ?? crypto.randomUUID(),
    project: project.value ?? null,
    trace_id: traceId.value!,
    span_id: spanId.value ?? null,
    name: name.value!,
    value: hasValue ? (item.value as number) : null,
    label: label.value,
    comment: comment.value,
    source: (item.source as ScoreSource | undefined) ?? defaultSource,
    author: author.value,
    metadata: (item.metadata as Record<string, unknown> | undefined) ?? null,
  });
}

/** Braintrust's `scores` on a trace or span row: an object of finite numbers, each name bounded. */
export function checkScoreMap(scores: unknown, path: string): Checked<null> {
  if (scores === undefined || scores === null) return valid(null);
  if (!isObject(scores)) return invalid(path, "must be an object of numbers by name");
  for (const [name, value] of Object.entries(scores)) {
    // Braintrust's "not scored": nothing is stored for it.
    if (value === null) continue;
    const checked = checkName(name, `${path} key`, true, SCORE_BOUNDS.nameChars);
    if (!checked.ok) return invalid(`${path}.${name.slice(0, 40)}`, `is not a score name: ${checked.message}`);
    if (typeof value !== "number" || !Number.isFinite(value)) return invalid(`${path}.${name}`, "must be a finite number");
  }
  return valid(null);
}
