import type { EventSourceMessage } from "eventsource-parser";
import { num, parseData, type Assembled, type StreamAssembler } from "./assembled.ts";

type ToolCall = { id: string; type: string; function: { name: string; arguments: string } };

/** OpenAI chat usage: prompt_tokens already include the cached share. */
export function chatUsage(usage: any): Assembled["usage"] {
  if (!usage || typeof usage !== "object") return null;
  return { prompt: num(usage.prompt_tokens), completion: num(usage.completion_tokens), cachedRead: num(usage.prompt_tokens_details?.cached_tokens), cacheWrite: 0 };
}

/** A non-streamed chat.completion. */
export function assembleChatCompletion(body: any): Assembled {
  const choice = body?.choices?.[0];
  return { output: choice?.message ?? null, model: body?.model ?? null, usage: chatUsage(body?.usage), finishReason: choice?.finish_reason ?? null, error: null, complete: true };
}

/**
 * Streamed chat.completion.chunk events → the assistant message. Tool calls arrive as an id and name
 * followed by argument fragments keyed by `index`; parallel calls interleave by index. Only the first
 * choice is recorded (n > 1 is rare in traced apps).
 */
export function chatStreamAssembler(): StreamAssembler {
  let content: string | null = null;
  let refusal: string | null = null;
  const toolCalls: ToolCall[] = [];
  let model: string | null = null;
  let usage: Assembled["usage"] = null;
  let finishReason: string | null = null;
  let error: unknown = null;
  let complete = false;

  return {
    push(event: EventSourceMessage) {
      if (event.data === "[DONE]") return !(complete = true);
      const chunk = parseData(event.data);
      if (!chunk) return false;
      if (chunk.error) error = chunk.error;
      model ??= chunk.model ?? null;
      if (chunk.usage) usage = chatUsage(chunk.usage);
      const choice = chunk.choices?.find((c: any) => (c?.index ?? 0) === 0);
      if (!choice) return false;
      finishReason = choice.finish_reason ?? finishReason;
      const delta = choice.delta ?? {};
      let carried = false;
      if (typeof delta.content === "string" && delta.content) (content = (content ?? "") + delta.content), (carried = true);
      if (typeof delta.refusal === "string" && delta.refusal) (refusal = (refusal ?? "") + delta.refusal), (carried = true);
      for (const part of delta.tool_calls ?? []) {
        const call = (toolCalls[part.index ?? 0] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
        if (part.id) call.id = part.id;
        if (part.type) call.type = part.type;
        if (part.function?.name) call.function.name += part.function.name;
        if (part.function?.arguments) (call.function.arguments += part.function.arguments), (carried = true);
      }
      return carried;
    },
    result: () => ({
      output: { role: "assistant", content, ...(refusal !== null ? { refusal } : {}), ...(toolCalls.length ? { tool_calls: toolCalls.filter(Boolean) } : {}) },
      model,
      usage,
      finishReason,
      error,
      complete,
    }),
  };
}
