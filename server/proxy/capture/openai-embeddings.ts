import type { Assembled, StreamAssembler } from "./assembled.ts";
import { num } from "./assembled.ts";

/**
 * An embeddings answer as the SDKs record it: how many vectors and how long, never the vectors.
 * The openai npm client asks for base64 (little-endian float32), so a vector is either a list of
 * numbers or a base64 string of 4 bytes per dimension.
 */
export function assembleEmbeddings(body: any): Assembled {
  const data = Array.isArray(body?.data) ? body.data : [];
  const first = data[0]?.embedding;
  const dimensions = Array.isArray(first) ? first.length : typeof first === "string" ? base64Bytes(first) / 4 : undefined;
  const usage = body?.usage && typeof body.usage === "object" ? { prompt: num(body.usage.prompt_tokens), completion: 0, cachedRead: 0, cacheWrite: 0 } : null;
  return { output: { embeddings: data.length, ...(dimensions !== undefined && { dimensions }) }, model: body?.model ?? null, usage, finishReason: null, error: null, complete: true };
}

/** Embeddings are never streamed; an SSE answer here would be the provider's own oddity. */
export function noStreamAssembler(): StreamAssembler {
  return {
    finalEvent: "a JSON answer",
    push: () => false,
    result: () => ({ output: null, model: null, usage: null, finishReason: null, error: null, complete: false }),
  };
}

function base64Bytes(text: string): number {
  try {
    return atob(text).length;
  } catch {
    return 0;
  }
}
