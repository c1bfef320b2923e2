import type { EventSourceMessage } from "eventsource-parser";
import { num, parseData, type Assembled, type StreamAssembler } from "./assembled.ts";

/**
 * Anthropic's input_tokens exclude cache reads and writes; the recorded prompt is all three, so
 * prompt tokens mean the same for both providers.
 */
function messagesUsage(usage: any): Assembled["usage"] {
  if (!usage || typeof usage !== "object" || Object.keys(usage).length === 0) return null;
  const cachedRead = num(usage.cache_read_input_tokens);
  const cacheWrite = num(usage.cache_creation_input_tokens);
  return { prompt: num(usage.input_tokens) + cachedRead + cacheWrite, completion: num(usage.output_tokens), cachedRead, cacheWrite };
}

/** A non-streamed `message`. */
export function assembleMessage(body: any): Assembled {
  return { output: { role: "assistant", content: body?.content ?? [] }, model: body?.model ?? null, usage: messagesUsage(body?.usage), finishReason: body?.stop_reason ?? null, error: null, complete: true };
}

/**
 * The Messages event stream. Usage comes in two halves: input (and cache) counts in message_start,
 * cumulative counts in message_delta, whose non-null fields win. tool_use input arrives as
 * input_json_delta fragments parsed at content_block_stop; `ping` carries nothing.
 */
export function messagesStreamAssembler(): StreamAssembler {
  const blocks: any[] = [];
  const partialJson = new Map<number, string>();
  let model: string | null = null;
  let usage: Record<string, unknown> = {};
  let stopReason: string | null = null;
  let error: unknown = null;
  let complete = false;

  const closeToolInput = (index: number) => {
    const json = partialJson.get(index);
    if (json === undefined) return;
    partialJson.delete(index);
    try {
      blocks[index].input = json === "" ? {} : JSON.parse(json);
    } catch {
      blocks[index].input = json;
    }
  };

  return {
    push(event: EventSourceMessage) {
      const data = parseData(event.data);
      if (!data) return false;
      switch (data.type ?? event.event) {
        case "message_start":
          model = data.message?.model ?? null;
          usage = { ...data.message?.usage };
          return false;
        case "content_block_start":
          blocks[data.index] = { ...data.content_block };
          if (data.content_block?.type === "tool_use" || data.content_block?.type === "server_tool_use") partialJson.set(data.index, "");
          return false;
        case "content_block_delta":
          return applyDelta(blocks[data.index], data.delta, (fragment) => partialJson.set(data.index, (partialJson.get(data.index) ?? "") + fragment));
        case "content_block_stop":
          closeToolInput(data.index);
          return false;
        case "message_delta":
          stopReason = data.delta?.stop_reason ?? stopReason;
          for (const [key, value] of Object.entries(data.usage ?? {})) if (value !== null && value !== undefined) usage[key] = value;
          return false;
        case "message_stop":
          complete = true;
          return false;
        case "error":
          error = data.error ?? data;
          return false;
        default:
          return false;
      }
    },
    result: () => {
      for (const index of [...partialJson.keys()]) closeToolInput(index);
      return { output: { role: "assistant", content: blocks.filter(Boolean) }, model, usage: messagesUsage(usage), finishReason: stopReason, error, complete };
    },
  };
}

function applyDelta(block: any, delta: any, appendJson: (fragment: string) => void): boolean {
  if (!block || !delta) return false;
  switch (delta.type) {
    case "text_delta":
      block.text = (block.text ?? "") + delta.text;
      return true;
    case "thinking_delta":
      block.thinking = (block.thinking ?? "") + delta.thinking;
      return true;
    case "signature_delta":
      block.signature = delta.signature;
      return false;
    case "input_json_delta":
      appendJson(delta.partial_json ?? "");
      return Boolean(delta.partial_json);
    default:
      return false;
  }
}
