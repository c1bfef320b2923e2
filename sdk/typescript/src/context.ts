import { AsyncLocalStorage } from "node:async_hooks";
import { NOOP_SPAN } from "./span/noop-span.ts";
import type { Span } from "./span/span-types.ts";

// AsyncLocalStorage carries the active span across awaits, Promise.all, timers and emitters, so spans
// nest without being passed by hand. Node and Bun both ship it.
const storage = new AsyncLocalStorage<Span>();

/** The span active here, or undefined outside any. */
export function activeSpan(): Span | undefined {
  return storage.getStore();
}

/**
 * The span of the innermost `traced()` around this code, or a no-op span outside any, so
 * `currentSpan().log(...)` is always safe.
 *
 * @example
 * await traced({ name: "lookup", type: "tool" }, async () => {
 *   currentSpan().log({ metadata: { cache: "miss" } });
 * });
 */
export function currentSpan(): Span {
  return storage.getStore() ?? NOOP_SPAN;
}

/** Runs `fn` with `span` active. */
export function runInSpan<T>(span: Span, fn: () => T): T {
  return storage.run(span, fn);
}
