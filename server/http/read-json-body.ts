import { badRequest, HttpError, payloadTooLarge } from "../errors.ts";
import { LIMITS } from "./limits.ts";

/**
 * Reads a JSON body while counting bytes, so an oversized body is refused
 * as soon as it crosses the limit instead of after it was buffered whole.
 */
export async function readJsonBody(request: Request, limit = LIMITS.bodyBytes): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) throw badRequest("request body is empty; send a JSON document");

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-body: nothing of it is stored, and nobody
      // is left to read an answer.
      throw new HttpError(400, "body_incomplete", "the request body was cut off before its end");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (size === 0) throw badRequest("request body is empty; send a JSON document");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw badRequest("request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number) {
  return payloadTooLarge(`request body exceeds the limit of ${limit} bytes`);
}
