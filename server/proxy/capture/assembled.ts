import type { EventSourceMessage } from "eventsource-parser";
import type { TokenUsage } from "./token-usage.ts";

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
  /** The event that ends a whole stream, named in the span when it never came. */
  readonly finalEvent: string;
  /**
   * Returns true when the event carried output (text, tool arguments, thinking): the first one is TTFT.
   * Throws OddEvent, before changing anything, for an event it cannot read: the capture skips that
   * one event, counts it, and goes on with the next.
   */
  push(event: EventSourceMessage): boolean;
  result(): Assembled;
}

/** An event that is not what its provider documents (not JSON, a field of the wrong type). */
export class OddEvent extends Error {}

/** The event's JSON object; null for an event without data (nothing to read, nothing odd). */
export function readEventData(data: string): Record<string, any> | null {
  if (data === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new OddEvent("event data is not JSON");
  }
  if (!isObject(value)) throw new OddEvent("event data is not a JSON object");
  return value;
}

export const isObject = (value: unknown): value is Record<string, any> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A field that must be a string when present; absent (or null) reads as null. */
export function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new OddEvent(`${field} is not a string`);
  return value;
}

/** A field that must be an object when present (usage, a delta); absent (or null) reads as null. */
export function optionalObject(value: unknown, field: string): Record<string, any> | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new OddEvent(`${field} is not an object`);
  return value;
}

/** A field that must be a list when present (choices, tool_calls); absent (or null) reads as []. */
export function optionalList(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OddEvent(`${field} is not an array`);
  return value;
}

// Content blocks and tool calls are kept by their index; a stray huge one must not make a sparse
// array the size of a billion (result() walks it).
const MAX_INDEX = 10_000;

/** A content block's or tool call's position; absent reads as `fallback`. */
export function indexOf(value: unknown, field: string, fallback?: number): number {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= MAX_INDEX) throw new OddEvent(`${field} is not an index`);
  return value;
}

export const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
