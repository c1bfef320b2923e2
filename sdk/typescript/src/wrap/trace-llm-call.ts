import { startSpan } from "../span/start-span.ts";
import type { RecordingSpan } from "../span/span.ts";
import type { SpanLogEvent } from "../span/span-types.ts";
import { warnOnce } from "../util/warn.ts";
import { hookAPIPromise, isAPIPromise, type CallObserver } from "./hook-api-promise.ts";
import { instrumentStream } from "./instrument-stream.ts";
import type { StreamAssembler } from "./stream-assembler.ts";
import { cloneOf, readEventData } from "./read-raw-response.ts";
import { StreamTracker } from "./stream-tracker.ts";

/** How one provider method maps to an `llm` span. Mappers only read; they never touch the caller's objects. */
export interface LlmCallSpec<P = any, R = any> {
  name: string;
  provider: "openai" | "anthropic";
  request(params: P): { input: unknown; metadata: Record<string, unknown> };
  response(data: R): SpanLogEvent;
  /** For calls that may stream; absent means the result is never a stream. `injectedUsage`: see withStreamUsage. */
  assembler?: (injectedUsage: boolean) => StreamAssembler;
  /**
   * The parameters to send instead of the caller's, or null to send theirs: a chat stream that did
   * not ask for usage asks for it, so the span gets tokens (the assembler then hides the extra chunk).
   */
  withStreamUsage?: (params: Record<string, unknown>) => Record<string, unknown> | null;
}

/** The call's arguments with the SDK's own parameters, and whether there were any. */
export function sentArguments(spec: LlmCallSpec, args: unknown[]): { args: unknown[]; injectedUsage: boolean } {
  try {
    const sent = spec.withStreamUsage?.((args[0] ?? {}) as Record<string, unknown>) ?? null;
    return sent ? { args: [sent, ...args.slice(1)], injectedUsage: true } : { args, injectedUsage: false };
  } catch {
    return { args, injectedUsage: false };
  }
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
  const sent = sentArguments(spec, args);
  let result: unknown;
  try {
    result = Reflect.apply(original, target, sent.args);
  } catch (error) {
    span.end({ error });
    throw error;
  }
  try {
    observeResult(result, callObserver(spec, span, params.stream === true, sent.injectedUsage));
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

function callObserver(spec: LlmCallSpec, span: RecordingSpan, streaming: boolean, injectedUsage: boolean): CallObserver {
  return {
    value(data) {
      try {
        if (streaming && spec.assembler) {
          const tracker = new StreamTracker(span, spec.assembler(injectedUsage));
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
    raw(response) {
      // The caller reads the body; the span reads a copy of it (Response.clone() tees the body).
      const copy = cloneOf(response);
      if (!copy) return span.end({ metadata: { raw_response: true } });
      if (streaming && spec.assembler) {
        const tracker = new StreamTracker(span, spec.assembler(injectedUsage));
        readEventData(copy, (data) => tracker.add(data)).then(
          () => tracker.finish("completed"),
          (error) => tracker.finish("error", error),
        );
      } else {
        copy.json().then(
          (data) => span.end({ ...spec.response(data), metadata: { raw_response: true } }),
          () => span.end({ metadata: { raw_response: true } }),
        );
      }
    },
  };
}
