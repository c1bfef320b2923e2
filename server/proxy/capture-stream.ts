import { createParser } from "eventsource-parser";
import type { StreamAssembler } from "./capture/assembled.ts";
import type { ByteRewriter } from "./drop-usage-chunk.ts";

export type StreamEnding = { kind: "done" } | { kind: "failed"; error: unknown } | { kind: "caller-left" };

/** What the capture saw besides the assembled answer. */
export type CaptureNotes = {
  /** Events the assembler could not read and skipped (recorded as metadata.kalmia_skipped_events). */
  skippedEvents: number;
};

/**
 * The caller's copy of an upstream SSE body, captured on the way: each network read is handed on
 * as it arrives, byte for byte (or through `rewrite`), and the same bytes are decoded, parsed and
 * assembled. One pull loop, no tee and no stream stages between the upstream and the caller, so
 * the first token waits for nothing. The capture always ends with a reason; an upstream failure
 * errors the caller's stream, so its connection is aborted, never cleanly ended. One odd event is
 * skipped and counted, never the end of the capture: the events after it still make the span.
 */
export function captureStream(
  body: ReadableStream<Uint8Array>,
  assembler: StreamAssembler,
  hooks: { onToken(): void; onEnd(ending: StreamEnding, notes: CaptureNotes): void },
  rewrite: ByteRewriter | null = null,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const notes: CaptureNotes = { skippedEvents: 0 };
  const parser = createParser({
    onEvent(event) {
      let carried: boolean;
      try {
        carried = assembler.push(event);
      } catch {
        notes.skippedEvents++;
        return;
      }
      if (carried) hooks.onToken();
    },
  });
  // The capture must never hurt the caller's stream: a failure in it stops capturing, nothing more.
  let capturing = true;
  const capture = (text: string) => {
    if (!capturing) return;
    try {
      parser.feed(text);
    } catch {
      capturing = false;
    }
  };
  let ended = false;
  const end = (ending: StreamEnding) => {
    if (ended) return;
    ended = true;
    hooks.onEnd(ending, notes);
  };
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array | null) => {
    if (!bytes || bytes.byteLength === 0) return false;
    controller.enqueue(bytes);
    return true;
  };
  return new ReadableStream<Uint8Array>({
    // Reads until it has something for the caller: a pull that enqueues nothing is not called again.
    async pull(controller) {
      for (;;) {
        let read: Awaited<ReturnType<typeof reader.read>>;
        try {
          read = await reader.read();
        } catch (error) {
          end({ kind: "failed", error });
          controller.error(error);
          return;
        }
        if (read.done) {
          if (rewrite) send(controller, rewrite.flush());
          capture(decoder.decode());
          controller.close();
          end({ kind: "done" });
          return;
        }
        const sent = send(controller, rewrite ? rewrite.push(read.value) : read.value);
        capture(decoder.decode(read.value, { stream: true }));
        if (sent) return;
      }
    },
    cancel(reason) {
      end({ kind: "caller-left" });
      return reader.cancel(reason);
    },
  });
}
