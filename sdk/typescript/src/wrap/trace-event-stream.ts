import { startSpan } from "../span/start-span.ts";
import type { RecordingSpan } from "../span/span.ts";
import { warnOnce } from "../util/warn.ts";
import { StreamTracker } from "../wrap/stream-tracker.ts";
import { MessageStreamAssembler } from "./message-stream-assembler.ts";
import { messagesRequest } from "./messages.ts";

/** Structural copy of the parts of the Anthropic SDK's `MessageStream` we touch. */
interface MessageStreamLike {
  _emit?: (event: string, ...args: unknown[]) => unknown;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
  errored?: boolean;
  aborted?: boolean;
}

/**
 * Traces `messages.stream()`. The helper makes its request through the unwrapped client, so this is its
 * only span. The returned MessageStream is the SDK's own object, observed through its internal `_emit`
 * rather than through listeners: an extra `error` listener would silence the unhandled rejection the SDK
 * raises for a caller who registered none.
 */
export function traceMessageStream(original: (...args: unknown[]) => unknown, target: object, args: unknown[]): unknown {
  let span: RecordingSpan;
  try {
    const request = messagesRequest((args[0] ?? {}) as Record<string, unknown>);
    span = startSpan({ name: "anthropic.messages.stream", type: "llm", input: request.input, metadata: { provider: "anthropic", ...request.metadata, stream: true } });
  } catch (error) {
    warnOnce("start-messages-stream", `could not trace messages.stream: ${String(error)}`);
    return Reflect.apply(original, target, args);
  }
  let stream: MessageStreamLike;
  try {
    stream = Reflect.apply(original, target, args) as MessageStreamLike;
  } catch (error) {
    span.end({ error });
    throw error;
  }
  try {
    observeMessageStream(stream, new StreamTracker(span, new MessageStreamAssembler()));
  } catch (error) {
    warnOnce("observe-messages-stream", `could not observe messages.stream: ${String(error)}`);
    span.end();
  }
  return stream;
}

function observeMessageStream(stream: MessageStreamLike, tracker: StreamTracker): void {
  const emit = stream._emit;
  if (typeof emit !== "function") {
    // An SDK without `_emit`: fall back to harmless listeners (no `error` listener, see above).
    stream.on?.("streamEvent", (event) => tracker.add(event));
    stream.on?.("end", () => tracker.finish(stream.aborted ? "aborted" : stream.errored ? "error" : "completed"));
    return;
  }
  stream._emit = function (this: unknown, event: string, ...rest: unknown[]) {
    if (event === "streamEvent") tracker.add(rest[0]);
    else if (event === "error") tracker.finish("error", rest[0]);
    else if (event === "abort") tracker.finish("aborted");
    else if (event === "end") tracker.finish("completed");
    return emit.call(this, event, ...rest);
  };
}
