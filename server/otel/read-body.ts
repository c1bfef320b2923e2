import { badRequest, HttpError, payloadTooLarge } from "../errors.ts";

const tooLarge = (limit: number, what: string) => payloadTooLarge(`${what} exceeds the limit of ${limit} bytes`);

/** Passes bytes through until `limit`, then fails the stream (which cancels its source). */
function limitBytes(limit: number, what: string): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  return new TransformStream({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > limit) controller.error(tooLarge(limit, what));
      else controller.enqueue(chunk);
    },
  });
}

/**
 * The body of an OTLP request, gunzipped when the exporter compressed it.
 * The byte limit holds before and after inflating, so neither a large body
 * nor a small gzip bomb is ever held in memory whole.
 */
export async function readOtlpBody(request: Request, limit: number): Promise<Uint8Array> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new HttpError(415, "unsupported_encoding", `content-encoding ${encoding} is not supported; send gzip or no encoding`);
  }
  if (Number(request.headers.get("content-length") ?? NaN) > limit) throw tooLarge(limit, "request body");
  if (!request.body) return new Uint8Array();
  let body = request.body.pipeThrough(limitBytes(limit, "request body"));
  if (encoding === "gzip") {
    body = body
      .pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>)
      .pipeThrough(limitBytes(limit, "decompressed request body"));
  }
  try {
    return await new Response(body).bytes();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw badRequest(`request body is not valid gzip: ${(error as Error).message}`);
  }
}
