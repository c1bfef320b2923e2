import { activeSpan } from "../context.ts";
import { currentSink } from "../logger.ts";
import { RecordingSpan, type SpanStart } from "./span.ts";
import type { Span } from "./span-types.ts";

/** Starts a span under the active one (or as a new trace) and sends its start row. */
export function startSpan(start: Omit<SpanStart, "parent"> & { parent?: Span }): RecordingSpan {
  const parent = start.parent ?? activeSpan();
  return new RecordingSpan({ ...start, parent: parent && parent.id ? parent : undefined }, currentSink());
}
