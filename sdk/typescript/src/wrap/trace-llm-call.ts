import { startSpan } from "../span/start-span.ts";
import type { RecordingSpan } from "../span/span.ts";
import type { SpanLogEvent } from "../span/span-types.ts";
import { warnOnce } from "../util/warn.ts";
import { hookAPIPromise, isAPIPromise, type CallObserver } from "./hook-api-promise.ts";
import { instrumentStream } from "./instrument-stream.ts";
import type { StreamAssembler } from "./stream-assembler.ts";
import { StreamTracker } from "./stream-tracker.ts";

/** How one provider method maps to an `llm` span. Mappers only read; they never touch the caller's objects. */
export interface LlmCallSpec<P = any, R = any> {
  name: string;
  provider: "openai" | "anthropic";
  request(params: P): { input: unknown; metadata: Record<string, unknown> };
  response(data: R): SpanLogEvent;
  /** For calls that may stream; absent means the result is never a stream. */
  assembler?: () => StreamAssembler;
}

/**
 * Calls a provider method with an `llm` span around it. The call itself is made exactly as the caller
 * made it, and its result (an APIPromise, usually) is handed back as the same object. Any failure of
 * ours is swallowed with one warning; the provider's own errors pass through untouched.
 */
export function traceLlmCall(spec: LlmCallSpec, original: (...args: unknown[]) => unknown, target: object, args: unknown[]): unknown {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  let span: RecordingSpan;
  try {
    const request = spec.request(params);
    span = startSpan({ name: spec.name, type: "llm", input: request.input, metadata: { provider: spec.provider, ...request.metadata } });
  } catch (error) {
    warnOnce(`start-${spec.name}`, `could not trace ${spec.name}: ${String(error)}`);
    return Reflect.apply(original, target, args);
  }
  let result: unknown;
  try {
    result = Reflect.apply(original, target, args);
  } catch (error) {
    span.end({ error });
    throw error;
  }
  try {
    observeResult(result, callObserver(spec, span, params.stream === true));
  } catch (error) {
    warnOnce(`observe-${spec.name}`, `could not observe ${spec.name}: ${String(error)}`);
  }
  return result;
}

function observeResult(result: unknown, observer: CallObserver): void {
  if (isAPIPromise(result)) return hookAPIPromise(result, observer);
  if (result instanceof Promise) {
    result.then(observer.value, observer.error);
    return;
  }
  observer.value(result);
}

function callObserver(spec: LlmCallSpec, span: RecordingSpan, streaming: boolean): CallObserver {
  return {
    value(data) {
      try {
        if (streaming && spec.assembler) {
          const tracker = new StreamTracker(span, spec.assembler());
          if (!instrumentStream(data as object, tracker)) tracker.finish("completed");
        } else {
          span.end(spec.response(data));
        }
      } catch (error) {
        warnOnce(`map-${spec.name}`, `could not record the result of ${spec.name}: ${String(error)}`);
        span.end();
      }
    },
    error(error) {
      span.end({ error });
    },
    raw() {
      span.end({ metadata: { raw_response: true } });
    },
  };
}
