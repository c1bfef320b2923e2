import { EventSourceParserStream } from "eventsource-parser/stream";
import type { StreamAssembler } from "./capture/assembled.ts";

export type StreamEnding = { kind: "done" } | { kind: "failed"; error: unknown };

/**
 * Splits an upstream SSE body in two: the caller's branch goes back at once, byte for byte; the
 * capture branch is decoded, parsed and assembled in the background and always ends with a reason.
 * An upstream error reaches both branches, so the caller's connection is aborted, never cleanly ended.
 */
export function teeForCapture(
  body: ReadableStream<Uint8Array>,
  assembler: StreamAssembler,
  hooks: { onToken(): void; onEnd(ending: StreamEnding): void },
): ReadableStream<Uint8Array> {
  const [toCaller, toCapture] = body.tee();
  toCapture
    // TypeScript's DOM lib types the decoder's writable side as BufferSource; bytes are what it gets.
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeTo(
      new WritableStream({
        write(event) {
          if (assembler.push(event)) hooks.onToken();
        },
      }),
    )
    .then(
      () => hooks.onEnd({ kind: "done" }),
      (error) => hooks.onEnd({ kind: "failed", error }),
    );
  return toCaller;
}
