import type { Scenario } from "./scenario.ts";

/** One SSE message. `delta` marks frames that carry content, the ones `x-fake-delay-ms` paces. */
export type Frame = { text: string; delta: boolean };

export function sseFrame(event: string | null, data: unknown, delta = false): Frame {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return { text: `${event === null ? "" : `event: ${event}\n`}data: ${payload}\n\n`, delta };
}

/** Text only the odd event carries: a capture that skips that event never records it. */
export const ODD_TEXT = "<odd>";

/** Puts one event its provider does not document halfway through the content (scenario `odd-event`). */
export function withOddEvent(frames: Frame[], oddFrame: Frame): Frame[] {
  const half = halfwayThroughContent(frames);
  return [...frames.slice(0, half), oddFrame, ...frames.slice(half)];
}

/**
 * Just after half of the content deltas. Unlike half of all frames, this is the same place whether or
 * not a proxy asked for usage on the caller's behalf (one more frame at the end).
 */
function halfwayThroughContent(frames: Frame[]): number {
  const deltas = frames.filter((frame) => frame.delta).length;
  let seen = 0;
  for (let i = 0; i < frames.length; i++) if (frames[i].delta && ++seen === Math.ceil(deltas / 2)) return i + 1;
  return halfOf(frames);
}

/** Keeps the first half of a stream's content and ends it with the provider's error frame. */
export function withMidStreamError(frames: Frame[], errorFrame: Frame): Frame[] {
  return [...frames.slice(0, halfwayThroughContent(frames)), errorFrame];
}

const CUT_AFTER_MS = 30;
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

/**
 * Streams frames the way a provider does, with the scenario's pacing and failures:
 * `cut` resets the connection halfway, `stall` stops sending halfway until the client leaves,
 * `early-end` ends the stream cleanly halfway, `no-final-event` ends it cleanly without its last
 * event ([DONE], message_stop, response.completed), `multibyte` splits each write inside a UTF-8 character.
 */
export function sseResponse(allFrames: Frame[], scenario: Scenario, signal: AbortSignal, headers: Record<string, string>): Response {
  const encoder = new TextEncoder();
  const frames = scenario.names.has("no-final-event") ? allFrames.slice(0, -1) : allFrames;
  // At the same content delta whether or not the SDK or the proxy asked for usage (one more frame).
  const stopAt = ["early-end", "cut", "stall"].some((name) => scenario.names.has(name)) ? halfwayThroughContent(frames) : frames.length;
  let index = 0;
  let sentDelta = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index === stopAt && index < frames.length) {
        if (scenario.names.has("stall")) return untilAborted(signal);
        if (scenario.names.has("early-end")) return controller.close();
        // Let the first half reach the client first, or Bun may reset before sending the headers.
        await Bun.sleep(CUT_AFTER_MS);
        // No reason given: Bun then resets the socket without printing a stack for an intended cut.
        return controller.error();
      }
      if (index === frames.length) return controller.close();
      const frame = frames[index++];
      if (frame.delta && sentDelta && scenario.delayMs > 0) await Bun.sleep(scenario.delayMs);
      sentDelta ||= frame.delta;
      const bytes = encoder.encode(frame.text);
      if (!scenario.names.has("multibyte")) return controller.enqueue(bytes);
      for (const piece of splitInsideCharacters(bytes)) {
        controller.enqueue(piece);
        // A pause between writes keeps them from being coalesced into one TCP segment.
        await Bun.sleep(2);
      }
    },
  });
  return new Response(body, { headers: { ...SSE_HEADERS, ...headers } });
}

export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** A non-streamed answer whose connection dies after half of the body. */
export function cutJsonResponse(body: unknown, headers: Record<string, string>): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return Bun.sleep(CUT_AFTER_MS).then(() => controller.error());
      sent = true;
      controller.enqueue(bytes.subarray(0, bytes.length >> 1));
    },
  });
  return new Response(stream, { headers: { "content-type": "application/json", ...headers } });
}

/** Splits bytes at the first multi-byte character so neither write holds it whole. */
export function splitInsideCharacters(bytes: Uint8Array): Uint8Array[] {
  const lead = bytes.findIndex((byte) => byte >= 0xc0);
  if (lead === -1) return [bytes];
  return [bytes.subarray(0, lead + 1), bytes.subarray(lead + 1)];
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function halfOf(frames: Frame[]): number {
  return Math.max(1, frames.length >> 1);
}
