import type { FakeCall } from "../fake-call.ts";
import { countTokens } from "../plan-turn.ts";
import { jsonResponse } from "../respond.ts";

const DEFAULT_DIMENSIONS = 8;

/**
 * POST /v1/embeddings. The openai npm client asks for `encoding_format: "base64"` unless told
 * otherwise and decodes little-endian float32, so both encodings are served.
 */
export function embeddings(call: FakeCall): Response {
  const inputs: unknown[] = Array.isArray(call.body?.input) ? call.body.input : [call.body?.input ?? ""];
  const dimensions = Number(call.body?.dimensions) > 0 ? Number(call.body.dimensions) : DEFAULT_DIMENSIONS;
  const tokens = countTokens(inputs);
  const data = inputs.map((input, index) => {
    const vector = vectorFor(JSON.stringify(input), dimensions);
    const embedding = call.body?.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
    return { object: "embedding", index, embedding };
  });
  const body = { object: "list", data, model: String(call.body?.model ?? "text-embedding-3-small"), usage: { prompt_tokens: tokens, total_tokens: tokens } };
  return jsonResponse(body, 200, { "x-request-id": call.requestId });
}

function vectorFor(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = ((text.charCodeAt(i % Math.max(1, text.length)) || 0) % 17) / 16 - 0.5;
  return vector;
}
