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

/** Passes items through untouched; the `finally` is where a `break`, an abort or an error ends the span. */
async function* tapIterator(inner: AsyncIterator<unknown>, tracker: StreamTracker, aborted: () => boolean): AsyncGenerator<unknown> {
  let finished = false;
  try {
    while (true) {
      const step = await inner.next();
      if (step.done) {
        finished = true;
        tracker.finish(aborted() ? "aborted" : "completed");
        return step.value;
      }
      tracker.add(step.value);
      yield step.value;
    }
  } catch (error) {
    finished = true;
    // SDK iterators end quietly when the caller aborts, and abort their controller on the way out of a
    // failure, so a throw is always an error, whatever the signal says by now.
    tracker.finish("error", error);
    throw error;
  } finally {
    if (!finished) {
      // The reader left early: close the SDK's iterator as a bare `for await` would (it aborts the request).
      tracker.finish(aborted() ? "aborted" : "break");
      await inner.return?.();
    }
  }
}
