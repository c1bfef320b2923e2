import type { EventSourceMessage } from "eventsource-parser";
import { indexOf, num, optionalList, optionalObject, optionalString, readEventData, type Assembled, type StreamAssembler } from "./assembled.ts";

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
    finalEvent: "[DONE]",
    push(event: EventSourceMessage) {
      if (event.data === "[DONE]") return !(complete = true);
      const chunk = readEventData(event.data);
      if (!chunk) return false;
      // Read and checked whole before anything is kept: an odd chunk is skipped whole.
      const read = readChunk(chunk);
      const { choice, delta } = read;
      if (chunk.error) error = chunk.error;
      model ??= read.model;
      if (read.usage) usage = chatUsage(read.usage);
      if (!choice) return false;
      finishReason = choice.finishReason ?? finishReason;
      let carried = false;
      if (delta.content) (content = (content ?? "") + delta.content), (carried = true);
      if (delta.refusal) (refusal = (refusal ?? "") + delta.refusal), (carried = true);
      for (const part of delta.toolCalls) {
        const call = (toolCalls[part.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
        if (part.id) call.id = part.id;
        if (part.type) call.type = part.type;
        if (part.name) call.function.name += part.name;
        if (part.arguments) (call.function.arguments += part.arguments), (carried = true);
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

/** One chunk's fields the assembler keeps, each checked for its documented type. */
function readChunk(chunk: Record<string, any>) {
  const choice = optionalList(chunk.choices, "choices").find((c: any) => (c?.index ?? 0) === 0) as Record<string, any> | undefined;
  const delta = optionalObject(choice?.delta, "delta") ?? {};
  return {
    model: optionalString(chunk.model, "model"),
    usage: optionalObject(chunk.usage, "usage"),
    choice: choice && { finishReason: optionalString(choice.finish_reason, "finish_reason") },
    delta: {
      content: optionalString(delta.content, "delta.content"),
      refusal: optionalString(delta.refusal, "delta.refusal"),
      toolCalls: optionalList(delta.tool_calls, "delta.tool_calls").map((part) => {
        const call = optionalObject(part, "tool call") ?? {};
        const fn = optionalObject(call.function, "tool call function") ?? {};
        return {
          index: indexOf(call.index, "tool call index", 0),
          id: optionalString(call.id, "tool call id"),
          type: optionalString(call.type, "tool call type"),
          name: optionalString(fn.name, "function name"),
          arguments: optionalString(fn.arguments, "function arguments"),
        };
      }),
    },
  };
}
