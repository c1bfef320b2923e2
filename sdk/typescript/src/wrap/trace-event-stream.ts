import { startSpan } from "../span/start-span.ts";
import type { RecordingSpan } from "../span/span.ts";
import { warnOnce } from "../util/warn.ts";
import { StreamTracker } from "./stream-tracker.ts";
import { sentArguments, type LlmCallSpec } from "./trace-llm-call.ts";

/** A streaming helper (`messages.stream()`, `chat.completions.stream()`, `responses.stream()`). */
export interface EventStreamSpec extends LlmCallSpec {
  assembler: NonNullable<LlmCallSpec["assembler"]>;
  /** The event that carries each raw stream item as its first argument. */
  itemEvent: string;
}

/** Structural copy of the event-stream objects these helpers return (Anthropic `MessageStream`, openai `EventStream`). */
interface EventStreamLike {
  _emit?: (event: string, ...args: unknown[]) => unknown;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  errored?: boolean;
  aborted?: boolean;
}

/**
 * Traces a provider SDK's streaming helper. The helper makes its request through the unwrapped client,
 * so this is its only span. The returned stream is the SDK's own object, observed through its internal
 * `_emit` rather than through listeners: an extra `error` listener would silence the unhandled rejection
 * the SDK raises for a caller who registered none.
 */
export function traceEventStream(spec: EventStreamSpec, original: (...args: unknown[]) => unknown, target: object, args: unknown[]): unknown {
  let span: RecordingSpan;
  try {
    const request = spec.request((args[0] ?? {}) as Record<string, unknown>);
    span = startSpan({ name: spec.name, type: "llm", input: request.input, metadata: { provider: spec.provider, ...request.metadata, stream: true } });
  } catch (error) {
    warnOnce(`start-${spec.name}`, `could not trace ${spec.name}: ${String(error)}`);
    return Reflect.apply(original, target, args);
  }
  const sent = sentArguments(spec, args);
  let stream: EventStreamLike;
  try {
    stream = Reflect.apply(original, target, sent.args) as EventStreamLike;
  } catch (error) {
    span.end({ error });
    throw error;
  }
  try {
    observe(stream, spec.itemEvent, new StreamTracker(span, spec.assembler(sent.injectedUsage)));
  } catch (error) {
    warnOnce(`observe-${spec.name}`, `could not observe ${spec.name}: ${String(error)}`);
    span.end();
  }
  return stream;
}

function observe(stream: EventStreamLike, itemEvent: string, tracker: StreamTracker): void {
  const emit = stream._emit;
  if (typeof emit !== "function") {
    // An SDK without `_emit`: fall back to harmless listeners (no `error` listener, see above).
    stream.on?.(itemEvent, (item) => tracker.add(item));
    stream.on?.("end", () => tracker.finish(stream.aborted ? "aborted" : stream.errored ? "error" : "completed"));
    return;
  }
  stream._emit = function (this: unknown, event: string, ...rest: unknown[]) {
    if (event === itemEvent && tracker.add(rest[0], rest[1])) return undefined;
    else if (event === "error") tracker.finish("error", rest[0]);
    else if (event === "abort") tracker.finish("aborted");
    else if (event === "end") tracker.finish("completed");
    return emit.call(this, event, ...rest);
  };
}
