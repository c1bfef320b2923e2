import { runInSpan } from "./context.ts";
import { startSpan } from "./span/start-span.ts";
import type { Span, SpanType } from "./span/span-types.ts";
import type { TraceContext } from "./span/trace-context.ts";
import { traceAsyncIterator, isAsyncIterator } from "./traced-async-iterator.ts";
import { warnOnce } from "./util/warn.ts";
import { NOOP_SPAN } from "./span/noop-span.ts";
import { hookAPIPromise, isAPIPromise } from "./wrap/hook-api-promise.ts";

export interface TracedOptions extends TraceContext {
  /** Span name; defaults to the function's name. */
  name?: string;
  /** Defaults to "function"; use "tool" for tool calls (green in the dashboard), "task" for agent runs. */
  type?: SpanType;
  /** Your own keys (a tenant, a feature flag, a prompt version); filter the list with `metadata.KEY=VALUE`. */
  metadata?: Record<string, unknown>;
}

/**
 * Wraps `fn` so that each call is a span: arguments as input, the return value as output, a thrown error
 * recorded and re-thrown unchanged. Sync, async and async-generator functions keep their shape.
 *
 * @example
 * const runAgent = traced(async (prompt: string) => { ... }, { name: "weather-agent" });
 * await runAgent("Compare weather in Tokyo and Paris");
 *
 * @example
 * // The trace's user, session, tags and metadata; its spans inherit them.
 * const answer = traced(async (q: string) => { ... }, { name: "support-bot", userId: "u-42", sessionId: "chat-7", tags: ["prod"], metadata: { tenant: "acme" } });
 */
export function traced<F extends (...args: any[]) => any>(fn: F, options?: TracedOptions): F;
/**
 * Runs `callback` now inside a new span and returns what it returns; the span is passed in for `log()`.
 *
 * @example
 * const result = await traced({ name: "get_weather", type: "tool" }, async (span) => {
 *   const weather = await getWeather(city);
 *   span.log({ input: { city }, output: weather });
 *   return weather;
 * });
 */
export function traced<R>(options: TracedOptions, callback: (span: Span) => R): R;
export function traced(a: unknown, b?: unknown): unknown {
  if (typeof a === "function") return tracedFunction(a as (...args: unknown[]) => unknown, (b ?? {}) as TracedOptions);
  if (typeof b === "function") {
    const options = (a ?? {}) as TracedOptions;
    return runTraced({ ...options, name: options.name || b.name || "traced" }, undefined, (span) => (b as (span: Span) => unknown)(span));
  }
  warnOnce("traced-args", "traced() needs a function: traced(fn, options) or traced(options, callback)");
  return undefined;
}

function tracedFunction(fn: (...args: unknown[]) => unknown, options: TracedOptions): (...args: unknown[]) => unknown {
  const name = options.name || fn.name || "traced";
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return runTraced({ ...options, name }, args.length === 1 ? args[0] : args, () => fn.apply(this, args));
  };
  Object.defineProperty(wrapper, "name", { value: fn.name });
  return wrapper;
}

/** Runs `body` in a new span and ends the span when the result settles (or its iterator finishes). */
function runTraced(
  options: TracedOptions & { name: string },
  input: unknown,
  body: (span: Span) => unknown,
): unknown {
  let span: ReturnType<typeof startSpan>;
  try {
    span = startSpan({ name: options.name, type: options.type ?? "function", input, metadata: options.metadata, context: options });
  } catch (error) {
    warnOnce("start-span", `could not start a span: ${String(error)}`);
    return body(NOOP_SPAN);
  }
  let result: unknown;
  try {
    result = runInSpan(span, () => body(span));
  } catch (error) {
    span.end({ error });
    throw error;
  }
  if (isAsyncIterator(result)) return traceAsyncIterator(result, span);
  if (isAPIPromise(result)) {
    // Awaiting a provider's APIPromise ourselves would parse a body the caller may still want raw.
    hookAPIPromise(result, {
      value: (value) => span.end(outputUnlessLogged(span, value)),
      error: (error) => span.end({ error }),
      raw: () => span.end(),
    });
    return result;
  }
  if (isThenable(result)) {
    result.then(
      (value) => span.end(outputUnlessLogged(span, value)),
      (error) => span.end({ error }),
    );
    return result;
  }
  span.end(outputUnlessLogged(span, result));
  return result;
}

/** The result as output, unless one was logged; a stream is not an output (its own span records it). */
function outputUnlessLogged(span: ReturnType<typeof startSpan>, value: unknown) {
  const stream = typeof value === "object" && value !== null && Symbol.asyncIterator in value;
  return span.hasOutput || stream ? {} : { output: value };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
