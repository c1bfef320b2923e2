import { chatUsageMetrics } from "./openai-usage.ts";
import type { ChatCompletion } from "./types.ts";

/** A chat completion as span output: the assistant message (one per choice when n > 1) and its usage. */
export function chatCompletionOutput(completion: ChatCompletion) {
  const choices = completion.choices ?? [];
  return {
    output: choices.length === 1 ? choices[0]!.message : choices.map((choice) => choice.message),
    metadata: { finish_reason: choices[0]?.finish_reason ?? undefined, response_id: completion.id },
    metrics: chatUsageMetrics(completion.usage),
  };
}
