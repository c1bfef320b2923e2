import type { EventSourceMessage } from "eventsource-parser";
import { isObject, num, OddEvent, optionalObject, optionalString, readEventData, type Assembled, type StreamAssembler } from "./assembled.ts";

type Parts = { text: string | null; refusal: string | null; reasoning: string | null; calls: Map<string, { call_id: string; name: string; arguments: string }> };

/** Responses usage: input_tokens include the cached share. */
function responsesUsage(usage: any): Assembled["usage"] {
  if (!usage || typeof usage !== "object") return null;
  return { prompt: num(usage.input_tokens), completion: num(usage.output_tokens), cachedRead: num(usage.input_tokens_details?.cached_tokens), cacheWrite: 0 };
}

/** The assistant message in chat shape, so every proxied span reads the same in the dashboard. */
function assistantMessage(parts: Parts) {
  const toolCalls = [...parts.calls.values()].map((call) => ({ id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } }));
  return {
    role: "assistant",
    content: parts.text,
    ...(parts.refusal !== null ? { refusal: parts.refusal } : {}),
    ...(parts.reasoning !== null ? { reasoning: parts.reasoning } : {}),
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
}

const asList = (value: unknown): any[] => (Array.isArray(value) ? value : []);

function partsOfOutput(output: unknown): Parts {
  const parts: Parts = { text: null, refusal: null, reasoning: null, calls: new Map() };
  for (const item of asList(output)) {
    if (item?.type === "reasoning") parts.reasoning = asList(item.summary).map((s: any) => s?.text ?? "").join("\n") || null;
    if (item?.type === "function_call") parts.calls.set(item.id, { call_id: item.call_id, name: item.name, arguments: item.arguments ?? "" });
    if (item?.type !== "message") continue;
    for (const part of asList(item.content)) {
      if (part?.type === "output_text") parts.text = (parts.text ?? "") + part.text;
      if (part?.type === "refusal") parts.refusal = (parts.refusal ?? "") + part.refusal;
    }
  }
  return parts;
}

/** A non-streamed `response` object. */
export function assembleResponse(body: any): Assembled {
  const error = body?.error ?? (body?.status === "incomplete" ? body?.incomplete_details : null);
  return { output: assistantMessage(partsOfOutput(body?.output)), model: body?.model ?? null, usage: responsesUsage(body?.usage), finishReason: body?.status ?? null, error, complete: true };
}

/**
 * The Responses event stream: deltas build the message while it streams (so a cancelled call keeps
 * its partial output); the terminal response.completed / failed / incomplete event is authoritative.
 */
export function responsesStreamAssembler(): StreamAssembler {
  let parts: Parts = { text: null, refusal: null, reasoning: null, calls: new Map() };
  let model: string | null = null;
  let final: Assembled | null = null;
  let error: unknown = null;

  return {
    finalEvent: "response.completed",
    push(event: EventSourceMessage) {
      const data = readEventData(event.data);
      if (!data) return false;
      switch (data.type ?? event.event) {
        case "response.created":
          model = optionalString(optionalObject(data.response, "response")?.model, "response.model") ?? model;
          return false;
        case "response.output_text.delta":
          parts.text = (parts.text ?? "") + textDelta(data);
          return true;
        case "response.refusal.delta":
          parts.refusal = (parts.refusal ?? "") + textDelta(data);
          return true;
        case "response.reasoning_summary_text.delta":
          parts.reasoning = (parts.reasoning ?? "") + textDelta(data);
          return true;
        case "response.output_item.added": {
          const item = optionalObject(data.item, "item");
          if (item?.type === "function_call") parts.calls.set(item.id, { call_id: item.call_id, name: item.name, arguments: "" });
          return false;
        }
        case "response.function_call_arguments.delta": {
          const delta = textDelta(data);
          const call = parts.calls.get(data.item_id);
          if (call) call.arguments += delta;
          return true;
        }
        case "response.completed":
        case "response.failed":
        case "response.incomplete": {
          if (!isObject(data.response)) throw new OddEvent("response is not an object");
          final = assembleResponse(data.response);
          if (!parts.calls.size && !parts.text && !parts.refusal) parts = partsOfOutput(data.response.output);
          return false;
        }
        case "error":
          error = { code: data.code ?? null, message: data.message ?? "error event" };
          return false;
        default:
          return false;
      }
    },
    result: (): Assembled => {
      const streamed = { output: assistantMessage(parts), model, usage: null, finishReason: null, error, complete: false };
      return final ? { ...final, output: final.output ?? streamed.output, error: final.error ?? error } : streamed;
    },
  };
}

/** A delta event's text, which must be a string. */
function textDelta(data: Record<string, any>): string {
  const delta = data.delta;
  if (typeof delta !== "string") throw new OddEvent("delta is not a string");
  return delta;
}
