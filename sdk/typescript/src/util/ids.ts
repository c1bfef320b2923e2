import { randomUUID } from "node:crypto";

/** A new span id; also the trace id when the span is a root. */
export function newSpanId(): string {
  return randomUUID();
}
