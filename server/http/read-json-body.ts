import { badRequest, HttpError } from "../errors.ts";
import { limitBytes, tooLarge } from "./limit-bytes.ts";
import { LIMITS } from "./limits.ts";

/** Reads a JSON body within a byte limit, with an error that names each problem. */
export async function readJsonBody(request: Request, limit = LIMITS.bodyBytes): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) throw badRequest("request body is empty; send a JSON document");

  let bytes: Uint8Array;
  try {
    bytes = await new Response(request.body.pipeThrough(limitBytes(limit))).bytes();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client went away mid-body: nothing of it is stored, and nobody
    // is left to read an answer.
    throw new HttpError(400, "body_incomplete", "the request body was cut off before its end");
  }
  if (bytes.byteLength === 0) throw badRequest("request body is empty; send a JSON document");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
}
