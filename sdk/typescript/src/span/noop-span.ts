import type { Span } from "./span-types.ts";

/** What `currentSpan()` returns outside any span: logging to it does nothing, and never fails. */
export const NOOP_SPAN: Span = Object.freeze({
  id: "",
  rootSpanId: "",
  parentIds: [],
  name: "",
  type: "function" as const,
  ended: true,
  log() {},
  end() {},
});
