import { runInSpan } from "./context.ts";
import type { RecordingSpan } from "./span/span.ts";

// The yielded values become the span's output; past this many only the count grows.
const MAX_RECORDED_ITEMS = 1000;

export function isAsyncIterator(value: unknown): value is AsyncGenerator<unknown, unknown, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

/**
 * Drives an async generator from inside its span. A generator's body runs in whichever context calls
 * `next()`, so each step is re-entered in the span explicitly; the span ends in `finally`, exactly once,
 * whether the consumer reads to the end, breaks out, or the generator throws.
 */
export async function* traceAsyncIterator<T, R>(inner: AsyncGenerator<T, R, unknown>, span: RecordingSpan): AsyncGenerator<T, R, unknown> {
  const items: T[] = [];
  let count = 0;
  try {
    let step = await runInSpan(span, () => inner.next());
    while (!step.done) {
      if (count++ < MAX_RECORDED_ITEMS) items.push(step.value);
      let sent: unknown;
      try {
        sent = yield step.value;
      } catch (error) {
        step = await runInSpan(span, () => inner.throw(error));
        continue;
      }
      step = await runInSpan(span, () => inner.next(sent));
    }
    return step.value;
  } catch (error) {
    span.end({ error, output: span.hasOutput ? undefined : items, metrics: { items: count } });
    throw error;
  } finally {
    if (!span.ended) {
      // Still open here means the consumer stopped early (or the body returned): close the inner
      // generator in the span, so its own finally blocks see it, then end with what was yielded.
      try {
        await runInSpan(span, () => inner.return(undefined as R));
      } finally {
        span.end({ output: span.hasOutput ? undefined : items, metrics: { items: count } });
      }
    }
  }
}
