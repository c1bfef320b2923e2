/**
 * Structural copy of what we touch on openai-node's and the Anthropic SDK's `APIPromise`: a Promise
 * subclass that parses the response lazily, when first awaited, through its `parseResponse` property.
 */
interface APIPromiseLike {
  parseResponse: (...args: unknown[]) => unknown;
  responsePromise: Promise<unknown>;
  parsedPromise?: Promise<unknown>;
  asResponse?: () => Promise<unknown>;
}

export interface CallObserver {
  /** The parsed value the caller is about to receive (a Stream for streamed calls). */
  value(data: unknown): void;
  error(error: unknown): void;
  /** The caller took the raw `Response` (`asResponse()`) and will never parse it. */
  raw(response: unknown): void;
}

export function isAPIPromise(value: unknown): value is APIPromiseLike {
  return (
    value instanceof Promise &&
    typeof (value as Partial<APIPromiseLike>).parseResponse === "function" &&
    (value as Partial<APIPromiseLike>).responsePromise instanceof Promise
  );
}

/**
 * Hooks an APIPromise in place and hands the same object back, so `.withResponse()`, `.asResponse()`,
 * `_thenUnwrap()` and the exact resolved values stay the SDK's own. The parse is hooked rather than
 * awaited by us: awaiting would parse a body the caller may want raw, and would change nothing's timing.
 */
export function hookAPIPromise(promise: APIPromiseLike, observer: CallObserver): void {
  const parse = promise.parseResponse;
  promise.parseResponse = async function (this: unknown, ...args: unknown[]) {
    let data: unknown;
    try {
      data = await parse.apply(this, args);
    } catch (error) {
      observer.error(error);
      throw error;
    }
    observer.value(data);
    return data;
  };
  // A failed request never reaches the parse. Re-throwing keeps the rejection the caller's to handle.
  promise.responsePromise = promise.responsePromise.then(undefined, (error: unknown) => {
    observer.error(error);
    throw error;
  });
  const asResponse = promise.asResponse;
  if (typeof asResponse === "function") {
    promise.asResponse = function (this: APIPromiseLike) {
      return asResponse.call(this).then((response) => {
        // withResponse() starts the parse before it asks for the Response; only a bare asResponse() lands here.
        if (!this.parsedPromise) observer.raw(response);
        return response;
      });
    };
  }
}
