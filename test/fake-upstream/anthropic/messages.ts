import type { FakeCall } from "../fake-call.ts";
import { countTokens, planTurn, type Turn } from "../plan-turn.ts";
import { cutJsonResponse, jsonResponse, sseFrame, sseResponse, withMidStreamError, withOddEvent, ODD_TEXT } from "../respond.ts";
import { anthropicErrorBody } from "./errors.ts";
import { messageEventFrames } from "./message-events.ts";
import { messagesConversation } from "./messages-conversation.ts";

const SIGNATURE = "EqQBCkgIARABGAIiQGZha2Utc2lnbmF0dXJlLWZvci10aGlua2luZy1ibG9jaw==";

/** POST /v1/messages, plain or streamed, in api.anthropic.com's wire format. */
export function messages(call: FakeCall): Response {
  const turn = planTurn(messagesConversation(call.body), call.scenario);
  const headers = { "request-id": call.requestId, "anthropic-organization-id": "fake-org" };
  const message = messageObject(call, turn);
  if (call.body?.stream !== true) return call.scenario.names.has("cut") ? cutJsonResponse(message, headers) : jsonResponse(message, 200, headers);
  let frames = messageEventFrames(message, turn);
  if (call.scenario.names.has("mid-stream-error")) frames = withMidStreamError(frames, sseFrame("error", anthropicErrorBody(529, null)));
  // A text delta whose text is not a string.
  if (call.scenario.names.has("odd-event")) frames = withOddEvent(frames, sseFrame("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: { odd: ODD_TEXT } } }));
  return sseResponse(frames, call.scenario, call.signal, headers);
}

export type MessageObject = ReturnType<typeof messageObject>;

function messageObject(call: FakeCall, turn: Turn) {
  const content: any[] = [];
  if (turn.thinking !== null) content.push({ type: "thinking", thinking: turn.thinking, signature: SIGNATURE });
  if (turn.toolCalls.length) {
    content.push({ type: "text", text: `I'll use ${turn.toolCalls[0].name} to find out.` });
    turn.toolCalls.forEach((toolCall, i) => content.push({ type: "tool_use", id: call.ids.of("toolu_", i), name: toolCall.name, input: toolCall.args }));
  } else {
    content.push({ type: "text", text: turn.refusal ?? turn.pieces.join("") });
  }
  return {
    id: call.ids.of("msg_"),
    type: "message",
    role: "assistant",
    model: String(call.body?.model ?? "claude-sonnet-4-20250514"),
    content,
    stop_reason: turn.refusal !== null ? "refusal" : turn.toolCalls.length ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: messageUsage(call, content),
  };
}

function messageUsage(call: FakeCall, content: unknown[]) {
  const input = countTokens([call.body?.system, call.body?.messages, call.body?.tools]);
  const cached = call.scenario.names.has("cache");
  return {
    input_tokens: input,
    cache_creation_input_tokens: cached ? Math.floor(input / 4) + 1 : 0,
    cache_read_input_tokens: cached ? Math.floor(input / 2) + 1 : 0,
    output_tokens: countTokens(content),
    service_tier: "standard",
  };
}

/** POST /v1/messages/count_tokens. */
export function countMessageTokens(call: FakeCall): Response {
  const input = countTokens([call.body?.system, call.body?.messages, call.body?.tools]);
  return jsonResponse({ input_tokens: input }, 200, { "request-id": call.requestId });
}
