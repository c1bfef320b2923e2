import type { SpanLogEvent } from "../span/span-types.ts";

/** Rebuilds a provider's answer from its stream items, for the span's output and usage. */
export interface StreamAssembler {
  /** Takes one item; returns true when it carried output (the first such item is the first token). */
  add(item: unknown): boolean;
  /** What was read so far, as a span log event. */
  result(): SpanLogEvent;
  /**
   * True for an item the caller did not ask for and must not see: the usage-only chunk of a stream
   * the SDK asked usage for. `snapshot` is a streaming helper's running result, cleaned the same way.
   */
  hides?(item: unknown, snapshot?: unknown): boolean;
}
