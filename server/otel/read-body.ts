import { badRequest, HttpError } from "../errors.ts";
import { limitBytes, tooLarge } from "../http/limit-bytes.ts";

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
