import type { EventSourceMessage } from "eventsource-parser";
import { indexOf, num, OddEvent, optionalObject, optionalString, readEventData, type Assembled, type StreamAssembler } from "./assembled.ts";

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
    finalEvent: "message_stop",
    push(event: EventSourceMessage) {
      const data = readEventData(event.data);
      if (!data) return false;
      switch (data.type ?? event.event) {
        case "message_start": {
          const message = optionalObject(data.message, "message") ?? {};
          const startUsage = optionalObject(message.usage, "message.usage") ?? {};
          model = optionalString(message.model, "message.model");
          usage = { ...startUsage };
          return false;
        }
        case "content_block_start": {
          const index = indexOf(data.index, "index");
          const block = optionalObject(data.content_block, "content_block");
          if (!block) throw new OddEvent("content_block is missing");
          blocks[index] = { ...block };
          if (block.type === "tool_use" || block.type === "server_tool_use") partialJson.set(index, "");
          return false;
        }
        case "content_block_delta": {
          const index = indexOf(data.index, "index");
          const delta = readDelta(data.delta);
          return applyDelta(blocks[index], delta, (fragment) => partialJson.set(index, (partialJson.get(index) ?? "") + fragment));
        }
        case "content_block_stop":
          closeToolInput(indexOf(data.index, "index"));
          return false;
        case "message_delta": {
          const stop = optionalString(optionalObject(data.delta, "delta")?.stop_reason, "delta.stop_reason");
          const counts = optionalObject(data.usage, "usage") ?? {};
          stopReason = stop ?? stopReason;
          for (const [key, value] of Object.entries(counts)) if (value !== null && value !== undefined) usage[key] = value;
          return false;
        }
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

type Delta = { type: string | null; text: string | null };

/** A content_block_delta's delta, its one text field checked against its documented type. */
function readDelta(value: unknown): Delta | null {
  const delta = optionalObject(value, "delta");
  if (!delta) return null;
  const field = TEXT_FIELD[delta.type as string];
  return { type: delta.type ?? null, text: field ? optionalString(delta[field], `delta.${field}`) : null };
}

const TEXT_FIELD: Record<string, string> = { text_delta: "text", thinking_delta: "thinking", signature_delta: "signature", input_json_delta: "partial_json" };

function applyDelta(block: any, delta: Delta | null, appendJson: (fragment: string) => void): boolean {
  if (!block || !delta) return false;
  switch (delta.type) {
    case "text_delta":
      block.text = (block.text ?? "") + (delta.text ?? "");
      return true;
    case "thinking_delta":
      block.thinking = (block.thinking ?? "") + (delta.text ?? "");
      return true;
    case "signature_delta":
      block.signature = delta.text;
      return false;
    case "input_json_delta":
      appendJson(delta.text ?? "");
      return Boolean(delta.text);
    default:
      return false;
  }
}
