import type { Span } from "../api/types.ts";
import { byStart, parentOf, spanEnd, spanStart } from "./spans.ts";

export type TreeRow = {
  span: Span;
  depth: number;
  /** Bar position within the trace's time range, as fractions 0..1. */
  offset: number;
  width: number;
  /** Direct children, shown or folded away. */
  children: number;
};

/**
 * Spans in tree order (children under their parent, siblings by start time),
 * each with its depth and waterfall bar. A span whose parent has not arrived
 * yet is shown at the top level until it does. `now` (Unix seconds) stands in
 * for the end of spans still running. Spans in `folded` keep their row but hide their subtree.
 */
export function buildSpanTree(spans: Span[], now: number, folded: ReadonlySet<string> = new Set()): TreeRow[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, Span[]>();
  for (const span of spans) {
    const parent = parentOf(span);
    const key = parent !== null && ids.has(parent) && parent !== span.span_id ? parent : null;
    const list = children.get(key);
    if (list) list.push(span);
    else children.set(key, [span]);
  }
  for (const list of children.values()) list.sort(byStart);

  const { from, to } = timeRange(spans, now);
  const range = Math.max(to - from, 1e-6);
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  // Iterative depth-first walk: a 2,000-span chain must not overflow the stack.
  const stack: { span: Span; depth: number }[] = (children.get(null) ?? []).map((span) => ({ span, depth: 0 })).reverse();
  while (stack.length) {
    const { span, depth } = stack.pop()!;
    if (seen.has(span.span_id)) continue;
    seen.add(span.span_id);
    const start = Number.isFinite(spanStart(span)) ? spanStart(span) : from;
    const end = spanEnd(span) ?? now;
    const kids = children.get(span.span_id) ?? [];
    rows.push({ span, depth, offset: (start - from) / range, width: Math.max((Math.max(end, start) - start) / range, 0.002), children: kids.length });
    if (folded.has(span.span_id)) {
      // Folded: its subtree is skipped here, not lost below as if unreachable.
      markSubtree(span.span_id, children, seen);
      continue;
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1 });
  }
  // Parent cycles leave spans unreachable from a root: list them rather than hide them.
  for (const span of spans) if (!seen.has(span.span_id)) rows.push({ span, depth: 0, offset: 0, width: 0.002, children: 0 });
  return rows;
}

function markSubtree(id: string, children: Map<string | null, Span[]>, seen: Set<string>): void {
  const stack = [...(children.get(id) ?? [])];
  while (stack.length) {
    const span = stack.pop()!;
    if (seen.has(span.span_id)) continue;
    seen.add(span.span_id);
    stack.push(...(children.get(span.span_id) ?? []));
  }
}

/** The chain of parents above a span (nearest first), to unfold when it is selected from elsewhere. */
export function ancestorsOf(spanId: string, spans: Span[]): string[] {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const chain: string[] = [];
  let parent = byId.get(spanId) ? parentOf(byId.get(spanId)!) : null;
  while (parent !== null && byId.has(parent) && !chain.includes(parent) && parent !== spanId) {
    chain.push(parent);
    parent = parentOf(byId.get(parent)!);
  }
  return chain;
}

export function timeRange(spans: Span[], now: number): { from: number; to: number } {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    const start = spanStart(span);
    if (Number.isFinite(start)) from = Math.min(from, start);
    to = Math.max(to, spanEnd(span) ?? (Number.isFinite(start) ? now : to));
  }
  if (!Number.isFinite(from)) return { from: now, to: now };
  return { from, to: Math.max(to, from) };
}
