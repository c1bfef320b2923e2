import type { Span } from "../api/types.ts";

/** Span start in Unix seconds, or +Infinity when unknown (sorts last). */
export function spanStart(span: Span): number {
  const start = span.metrics?.start;
  return typeof start === "number" ? start : Number.POSITIVE_INFINITY;
}

export function spanEnd(span: Span): number | null {
  const end = span.metrics?.end;
  return typeof end === "number" ? end : null;
}

export function byStart(a: Span, b: Span): number {
  return spanStart(a) - spanStart(b) || a.span_id.localeCompare(b.span_id);
}

export function spanStatus(span: Span): string {
  if (span.status) return span.status;
  if (span.error !== null && span.error !== undefined) return "error";
  return spanEnd(span) === null ? "running" : "ok";
}

export function parentOf(span: Span): string | null {
  const parents = span.span_parents;
  return Array.isArray(parents) && parents.length ? parents[0]! : null;
}
