import { activeSpan } from "../context.ts";
import { currentMetadata, currentSink } from "../logger.ts";
import { RecordingSpan, type SpanStart } from "./span.ts";
import type { Span } from "./span-types.ts";

/** Starts a span under the active one (or as a new trace) and sends its start row. */
export function startSpan(start: Omit<SpanStart, "parent"> & { parent?: Span }): RecordingSpan {
  const found = start.parent ?? activeSpan();
  const parent = found && found.id ? found : undefined;
  // A new trace takes the logger's service-wide metadata, under its own.
  const defaults = parent ? undefined : currentMetadata();
  const metadata = defaults ? { ...defaults, ...start.metadata } : start.metadata;
  return new RecordingSpan({ ...start, metadata, parent }, currentSink());
}
