import { badRequest, payloadTooLarge } from "../errors.ts";
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
    const { done, value } = await reader.read();
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
