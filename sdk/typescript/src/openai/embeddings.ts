import type { LlmCallSpec } from "../wrap/trace-llm-call.ts";
import type { EmbeddingResponse } from "./types.ts";

/** Vectors are not worth storing in a trace: the output says how many and how long. */
export const embeddingsCreate: LlmCallSpec = {
  name: "openai.embeddings.create",
  provider: "openai",
  request(params: Record<string, unknown>) {
    const { input, ...parameters } = params;
    // `kind` tells an embedding span from a chat one; the proxy records the same.
    return { input, metadata: { ...parameters, kind: "embedding" } };
  },
  response(data: EmbeddingResponse) {
    const first = data.data?.[0]?.embedding;
    return {
      output: { embeddings: data.data?.length ?? 0, dimensions: Array.isArray(first) ? first.length : undefined },
      metrics: { prompt_tokens: data.usage?.prompt_tokens, tokens: data.usage?.total_tokens },
    };
  },
};
