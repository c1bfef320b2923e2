import { payloadTooLarge } from "../errors.ts";

export const tooLarge = (limit: number, what = "request body") =>
  payloadTooLarge(`${what} exceeds the limit of ${limit} bytes`);

/**
 * Passes bytes through until `limit`, then fails the stream (which cancels
 * its source): an oversized body is refused as it crosses the limit, never
 * buffered whole.
 */
export function limitBytes(limit: number, what = "request body"): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  return new TransformStream({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > limit) controller.error(tooLarge(limit, what));
      else controller.enqueue(chunk);
    },
  });
}
