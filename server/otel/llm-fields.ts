import type { SpanMetrics } from "../../db/write/span-row.ts";
import type { AttrBag } from "./attr-bag.ts";

/** Providers as Kalmia names them (the price table and filters use these). */
function provider(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.toLowerCase();
  // The AI SDK says "openai.chat" / "anthropic.messages"; the conventions say "aws.bedrock", "gcp.gemini".
  if (name.startsWith("openai") || name === "az.ai.openai" || name === "azure.ai.openai") return "openai";
  if (name.startsWith("anthropic")) return "anthropic";
  return name;
}

const whole = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));

export type LlmFields = { metadata: Record<string, unknown>; metrics: SpanMetrics };

/** Provider, model, usage and request parameters of an llm span, from any of the conventions. */
export function llmFields(bag: AttrBag): LlmFields {
  const requestModel = bag.text("gen_ai.request.model", "ai.model.id");
  const embeddingModel = bag.text("embedding.model_name");
  const vendor = provider(bag.text("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"));
  const model = unrouted(bag.text("gen_ai.response.model", "llm.model_name", "ai.response.model") ?? embeddingModel ?? requestModel, vendor);
  const metadata: Record<string, unknown> = { provider: vendor, model };
  if (requestModel && requestModel !== model) metadata.request_model = requestModel;
  if (embeddingModel) {
    // An OpenInference EMBEDDING span: recorded like the SDKs' and the proxy's embeddings, without the vectors.
    metadata.kind = "embedding";
    const embeddings = bag.under("embedding.embeddings");
    const count = new Set(Object.keys(embeddings).map((key) => key.split(".")[0])).size;
    if (count) metadata.embeddings = count;
  }
  const request = bag.under("gen_ai.request");
  for (const [key, value] of Object.entries(request)) if (key !== "model") metadata[key] = value;
  const params = bag.json("llm.invocation_parameters");
  if (typeof params === "object" && params !== null) {
    // The parameters name the model as the caller wrote it (LiteLLM's "openai/gpt-4o"): the span's own wins.
    for (const [key, value] of Object.entries(params)) if (key !== "model" && key !== "provider") metadata[key] = value;
  }
  const finish = bag.take("gen_ai.response.finish_reasons", "ai.response.finishReason");
  if (finish !== undefined) metadata.finish_reasons = finish;
  const responseId = bag.text("gen_ai.response.id", "ai.response.id");
  if (responseId) metadata.response_id = responseId;
  const tools = bag.json("llm.request.functions") ?? bag.json("ai.prompt.tools");
  if (tools !== undefined) metadata.tools = tools;
  const metrics: SpanMetrics = {
    prompt_tokens: whole(bag.number("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "ai.usage.inputTokens", "ai.usage.promptTokens")),
    completion_tokens: whole(bag.number("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "ai.usage.outputTokens", "ai.usage.completionTokens")),
    tokens: whole(bag.number("gen_ai.usage.total_tokens", "llm.usage.total_tokens", "llm.token_count.total", "ai.usage.totalTokens")),
    prompt_cached_tokens: whole(bag.number(
      "gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_read_input_tokens",
      "llm.token_count.prompt_details.cache_read",
      "ai.usage.cachedInputTokens",
    )),
  };
  return { metadata: dropUndefined(metadata), metrics: dropUndefined(metrics) };
}

/** LiteLLM names a model by its route, "openai/gpt-4o": with the provider known, the model is the rest (what prices know). */
function unrouted(model: string | undefined, vendor: string | undefined): string | undefined {
  return model && vendor && model.startsWith(`${vendor}/`) ? model.slice(vendor.length + 1) : model;
}

export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
}
