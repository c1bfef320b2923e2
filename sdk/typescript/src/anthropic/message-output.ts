import type { AnthropicMessage, AnthropicUsage } from "./types.ts";

/** Anthropic counts cached prompt tokens apart from `input_tokens`; the span's prompt_tokens is all of them. */
export function anthropicUsageMetrics(usage: AnthropicUsage | null | undefined): Record<string, number | undefined> {
  if (!usage) return {};
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    tokens: prompt + completion,
    prompt_cached_tokens: cacheRead || undefined,
    prompt_cache_creation_tokens: cacheWrite || undefined,
  };
}

/** A Message as span output: the assistant message with its content blocks (text, tool_use, thinking). */
export function messageOutput(message: AnthropicMessage) {
  return {
    output: { role: message.role ?? "assistant", content: message.content ?? [] },
    metadata: { stop_reason: message.stop_reason ?? undefined, response_id: message.id },
    metrics: anthropicUsageMetrics(message.usage),
  };
}
