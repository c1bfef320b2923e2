import type { StreamTracker } from "./stream-tracker.ts";

// Ends the span of a stream its reader dropped without finishing or breaking out of it.
const abandoned = new FinalizationRegistry<StreamTracker>((tracker) => tracker.finish("abandoned"));

interface StreamLike {
  controller?: AbortController;
  iterator?: () => AsyncIterator<unknown>;
  [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

/**
 * Taps a provider SDK stream in place, so the caller keeps the very same object: `for await`, `tee()`,
 * `toReadableStream()` and `controller` all still work. openai-node and the Anthropic SDK both build
 * their `Stream` on an own `iterator` factory that every one of those helpers goes through; replacing
 * that factory sees each item exactly once. Returns false when the object has neither hook.
 */
export function instrumentStream(stream: object, tracker: StreamTracker): boolean {
  const target = stream as StreamLike;
  const signal = target.controller?.signal;
  const aborted = () => signal?.aborted === true;
  if (Object.prototype.hasOwnProperty.call(target, "iterator") && typeof target.iterator === "function") {
    const original = target.iterator;
    target.iterator = function (this: unknown) {
      return tapIterator(original.call(this), tracker, aborted);
    };
  } else if (typeof target[Symbol.asyncIterator] === "function") {
    const original = target[Symbol.asyncIterator]!;
    Object.defineProperty(target, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        return tapIterator(original.call(this), tracker, aborted);
      },
    });
  } else {
    return false;
  }
  abandoned.register(stream, tracker);
  return true;
}

/**
 * Passes items through untouched, as a plain iterator object rather than an async generator: no extra
 * queueing per item, and `return()` / `throw()` reach the SDK's own iterator exactly as they would
 * unwrapped (its `finally` aborts the request when the reader breaks out).
 */
function tapIterator(inner: AsyncIterator<unknown>, tracker: StreamTracker, aborted: () => boolean): AsyncIterator<unknown> {
  const failed = (error: unknown) => {
    // SDK iterators end quietly when the caller aborts, and abort their controller on the way out of a
    // failure, so a throw is always an error, whatever the signal says by now.
    tracker.finish("error", error);
    throw error;
  };
  const passed = (step: IteratorResult<unknown>): IteratorResult<unknown> | Promise<IteratorResult<unknown>> => {
    if (step.done) tracker.finish(aborted() ? "aborted" : "completed");
    // An item the SDK asked for on its own (the usage-only chunk): read, and skipped for the caller.
    else if (tracker.add(step.value)) return inner.next().then(passed, failed);
    return step;
  };
  return {
    next: (...args: [] | [unknown]) => inner.next(...args).then(passed, failed),
    return(value?: unknown) {
      // The reader left early (`break`, or a ReadableStream cancelled): end with what was read.
      if (!tracker.ended) tracker.finish(aborted() ? "aborted" : "break");
      return inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value });
    },
    throw(error?: unknown) {
      if (!tracker.ended) tracker.finish("error", error);
      return inner.throw ? inner.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterator<unknown>;
}
