// Which trace each recent child span belongs to, for logFeedback({ id }) with a span's id: a root
// span's id is its trace's, so only children are kept. Bounded: the oldest are forgotten first (pass
// traceId for spans that old).
const KEPT = 10_000;
const traceOf = new Map<string, string>();

export function rememberTrace(spanId: string, traceId: string): void {
  if (spanId === traceId) return;
  traceOf.set(spanId, traceId);
  if (traceOf.size > KEPT) traceOf.delete(traceOf.keys().next().value!);
}

/** The trace of a span this process recorded, or the id itself (a root span's id is its trace's). */
export function traceOfSpan(spanId: string): string {
  return traceOf.get(spanId) ?? spanId;
}
