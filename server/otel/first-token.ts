import type { AttrBag } from "./attr-bag.ts";
import type { OtlpSpan } from "./otlp-types.ts";

// OpenInference's instrumentations mark the first streamed token with an event of this name.
const OPENINFERENCE_FIRST_TOKEN = "First Token Stream Event";
// The Vercel AI SDK's doStream span carries an event at the first chunk (with msToFirstChunk on it).
const VERCEL_FIRST_CHUNK = "ai.stream.firstChunk";

/**
 * Seconds from the span's start to the first streamed token (docs/SPANS.md `time_to_first_token`),
 * from whichever convention the instrumentation speaks: the Vercel AI SDK's
 * `ai.response.msToFirstChunk` (milliseconds; on the span or on its firstChunk event), GenAI
 * semconv's first-chunk attributes (seconds), or the time of the first-token event itself.
 */
export function firstTokenSeconds(span: OtlpSpan, bag: AttrBag): number | undefined {
  const ms = bag.number("ai.response.msToFirstChunk", "ai.stream.msToFirstChunk");
  if (ms !== undefined) return ms / 1000;
  const seconds = bag.number(
    // What the AI SDK 7's @ai-sdk/otel integration puts on its chat spans.
    "gen_ai.client.operation.time_to_first_chunk",
    "gen_ai.response.time_to_first_chunk",
    "gen_ai.response.time_to_first_token",
    "gen_ai.server.time_to_first_token",
  );
  if (seconds !== undefined) return seconds;
  const event = span.events.find((e) => e.name === OPENINFERENCE_FIRST_TOKEN || e.name === VERCEL_FIRST_CHUNK);
  if (!event) return undefined;
  const onEvent = event.attributes["ai.response.msToFirstChunk"] ?? event.attributes["ai.stream.msToFirstChunk"];
  if (typeof onEvent === "number" && onEvent >= 0) return onEvent / 1000;
  if (event.timeUnixNano <= 0n || span.startUnixNano <= 0n || event.timeUnixNano < span.startUnixNano) return undefined;
  return Number((event.timeUnixNano - span.startUnixNano) / 1000n) / 1e6;
}
