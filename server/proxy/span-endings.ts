import type { Assembled } from "./capture/assembled.ts";
import type { StreamEnding } from "./capture-stream.ts";
import type { SpanEnd } from "./proxy-span.ts";

type Outcome = Omit<SpanEnd, "httpStatus" | "requestId">;

/** A call that produced no answer to assemble. */
export const noAnswer: Omit<Outcome, "status"> = { output: null, error: null, model: null, usage: null, finishReason: null };

const fromAssembled = (assembled: Assembled) => ({ output: assembled.output, model: assembled.model, usage: assembled.usage, finishReason: assembled.finishReason });

/** How a streamed call ended: the caller left, the stream broke, the provider reported an error, or it completed. */
export function streamOutcome(assembled: Assembled, ending: StreamEnding, callerLeft: boolean): Outcome {
  const base = fromAssembled(assembled);
  if (callerLeft) return { ...base, status: "cancelled", error: null };
  if (ending.kind === "failed") return { ...base, status: "error", error: { message: `upstream stream failed: ${String((ending.error as Error)?.message ?? ending.error)}` } };
  if (assembled.error) return { ...base, status: "error", error: assembled.error };
  if (!assembled.complete) return { ...base, status: "error", error: { message: "upstream stream ended before its final event" } };
  return { ...base, status: "ok", error: null };
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
