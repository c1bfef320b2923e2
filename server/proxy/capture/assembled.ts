import type { EventSourceMessage } from "eventsource-parser";
import type { TokenUsage } from "../../pricing/cost.ts";

/** What a provider's answer, streamed or not, comes down to for the span. */
export type Assembled = {
  /** The assistant message, as far as it got. */
  output: unknown;
  model: string | null;
  usage: TokenUsage | null;
  finishReason: string | null;
  /** An error the provider reported inside a 200 answer (Anthropic `event: error`, OpenAI `data: {"error"}`). */
  error: unknown;
  /** Whether the stream reached its terminal event ([DONE], message_stop, response.completed). */
  complete: boolean;
};

/** Folds one provider's SSE events into an Assembled, event by event. */
export interface StreamAssembler {
  /** Returns true when the event carried output (text, tool arguments, thinking): the first one is TTFT. */
  push(event: EventSourceMessage): boolean;
  result(): Assembled;
}

export function parseData(data: string): any {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

export const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
