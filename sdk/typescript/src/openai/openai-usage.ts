import type { OpenAIUsage, ResponsesUsage } from "./types.ts";

type Metrics = Record<string, number | undefined>;

/** Chat Completions usage as span metrics. */
export function chatUsageMetrics(usage: OpenAIUsage | null | undefined): Metrics {
  if (!usage) return {};
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    tokens: usage.total_tokens ?? sum(usage.prompt_tokens, usage.completion_tokens),
    prompt_cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? undefined,
    completion_reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? undefined,
  };
}

/** Responses API usage: the same counts under input/output names. */
export function responsesUsageMetrics(usage: ResponsesUsage | null | undefined): Metrics {
  if (!usage) return {};
  return chatUsageMetrics({
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: usage.input_tokens_details,
    completion_tokens_details: usage.output_tokens_details,
  });
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
