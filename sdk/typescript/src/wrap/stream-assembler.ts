import type { SpanLogEvent } from "../span/span-types.ts";

/** Rebuilds a provider's answer from its stream items, for the span's output and usage. */
export interface StreamAssembler {
  /** Takes one item; returns true when it carried output (the first such item is the first token). */
  add(item: unknown): boolean;
  /** What was read so far, as a span log event. */
  result(): SpanLogEvent;
}
