import type { Assembled, StreamAssembler } from "./capture/assembled.ts";
import type { CaptureNotes, StreamEnding } from "./capture-stream.ts";
import type { SpanEnd } from "./proxy-span.ts";

type Outcome = Omit<SpanEnd, "httpStatus" | "requestId">;

/** A call that produced no answer to assemble. */
export const noAnswer: Omit<Outcome, "status"> = { output: null, error: null, model: null, usage: null, finishReason: null };

const fromAssembled = (assembled: Assembled) => ({ output: assembled.output, model: assembled.model, usage: assembled.usage, finishReason: assembled.finishReason });

/**
 * How a streamed call ended: the caller left, the stream broke, the provider reported an error, or it
 * completed. A stream that ends cleanly without its final event ([DONE], message_stop) is what the
 * caller saw too: the openai and Anthropic clients end such a stream without an error. So once the
 * answer itself finished (a finish or stop reason came) the call is ok, with a note of the missing
 * event; before that the answer was cut short, an error, with the output as far as it came.
 */
export function streamOutcome(assembler: StreamAssembler, ending: StreamEnding, notes: CaptureNotes & { callerLeft: boolean }): Outcome {
  const assembled = assembler.result();
  const metadata: Record<string, unknown> = notes.skippedEvents ? { kalmia_skipped_events: notes.skippedEvents } : {};
  const base = { ...fromAssembled(assembled), metadata };
  if (notes.callerLeft) return { ...base, status: "cancelled", error: null };
  if (ending.kind === "failed") return { ...base, status: "error", error: { message: `upstream stream failed: ${String((ending.error as Error)?.message ?? ending.error)}` } };
  if (assembled.error) return { ...base, status: "error", error: assembled.error };
  if (assembled.complete) return { ...base, status: "ok", error: null };
  if (assembled.finishReason === null) {
    return { ...base, status: "error", error: { message: `upstream stream ended before the answer finished (no finish reason, no ${assembler.finalEvent})` } };
  }
  return { ...base, status: "ok", error: null, metadata: { ...metadata, kalmia_stream_note: `stream ended without ${assembler.finalEvent}` } };
}

/** How a call with a whole JSON answer ended; a 4xx/5xx records the provider's error object. */
export function jsonOutcome(status: number, answer: ArrayBuffer, fromJson: (body: unknown) => Assembled): Outcome {
  let body: any = null;
  try {
    body = JSON.parse(new TextDecoder().decode(answer));
  } catch {}
  if (status >= 400) return { ...noAnswer, status: "error", error: body?.error ?? body ?? { message: `upstream answered ${status}` } };
  if (body === null) return { ...noAnswer, status: "error", error: { message: "upstream answer is not JSON" } };
  const assembled = fromJson(body);
  return assembled.error ? { ...fromAssembled(assembled), status: "error", error: assembled.error } : { ...fromAssembled(assembled), status: "ok", error: null };
}
