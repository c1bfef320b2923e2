import { CREATED } from "../ids.ts";
import type { FakeCall } from "../fake-call.ts";
import { countTokens, fragmentsOf, planTurn, type Turn } from "../plan-turn.ts";
import { cutJsonResponse, jsonResponse, sseFrame, sseResponse, withMidStreamError, withOddEvent, ODD_TEXT, type Frame } from "../respond.ts";
import { chatConversation } from "./chat-conversation.ts";
import { openaiErrorBody } from "./errors.ts";

/** POST /v1/chat/completions, plain or streamed, in api.openai.com's wire format. */
export function chatCompletions(call: FakeCall): Response {
  const turn = planTurn(chatConversation(call.body), call.scenario);
  const headers = { "x-request-id": call.requestId, "openai-processing-ms": "1" };
  if (call.body?.stream !== true) {
    const completion = chatCompletion(call, turn);
    return call.scenario.names.has("cut") ? cutJsonResponse(completion, headers) : jsonResponse(completion, 200, headers);
  }
  let frames = chatChunkFrames(call, turn);
  if (call.scenario.names.has("mid-stream-error")) frames = withMidStreamError(frames, sseFrame(null, openaiErrorBody(500)));
  // A choice not wrapped in its array: the chunk the proxy's capture once stopped at.
  if (call.scenario.names.has("odd-event")) frames = withOddEvent(frames, sseFrame(null, { ...envelope(call, "chat.completion.chunk"), choices: { index: 0, delta: { content: ODD_TEXT }, finish_reason: null } }));
  return sseResponse(frames, call.scenario, call.signal, headers);
}

function chatCompletion(call: FakeCall, turn: Turn) {
  const toolCalls = turn.toolCalls.map((toolCall, i) => ({
    id: call.ids.of("call_", i),
    type: "function",
    function: { name: toolCall.name, arguments: JSON.stringify(toolCall.args) },
  }));
  const message = {
    role: "assistant",
    content: turn.refusal !== null || toolCalls.length ? null : turn.pieces.join(""),
    refusal: turn.refusal,
    annotations: [],
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
  return {
    ...envelope(call, "chat.completion"),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(turn) }],
    usage: chatUsage(call, turn),
  };
}

function chatChunkFrames(call: FakeCall, turn: Turn): Frame[] {
  const includeUsage = call.body?.stream_options?.include_usage === true;
  const chunk = (delta: object, finish: string | null = null, isDelta = false) =>
    sseFrame(null, { ...envelope(call, "chat.completion.chunk"), choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) }, isDelta);
  const frames: Frame[] = [];
  if (turn.refusal !== null) {
    frames.push(chunk({ role: "assistant", content: null, refusal: "" }));
    for (const piece of turn.refusal.match(/\s*\S+/g) ?? []) frames.push(chunk({ refusal: piece }, null, true));
  } else if (turn.toolCalls.length) {
    turn.toolCalls.forEach((toolCall, index) => {
      const start = { index, id: call.ids.of("call_", index), type: "function", function: { name: toolCall.name, arguments: "" } };
      frames.push(chunk(index === 0 ? { role: "assistant", content: null, tool_calls: [start] } : { tool_calls: [start] }));
      for (const fragment of fragmentsOf(JSON.stringify(toolCall.args))) frames.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }, null, true));
    });
  } else {
    frames.push(chunk({ role: "assistant", content: "", refusal: null }));
    for (const piece of turn.pieces) frames.push(chunk({ content: piece }, null, true));
  }
  frames.push(chunk({}, finishReason(turn)));
  if (includeUsage) frames.push(sseFrame(null, { ...envelope(call, "chat.completion.chunk"), choices: [], usage: chatUsage(call, turn) }));
  frames.push(sseFrame(null, "[DONE]"));
  return frames;
}

function envelope(call: FakeCall, object: string) {
  return {
    id: call.ids.of("chatcmpl-"),
    object,
    created: CREATED,
    model: String(call.body?.model ?? "gpt-4o"),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

function finishReason(turn: Turn): string {
  return turn.toolCalls.length ? "tool_calls" : "stop";
}

function chatUsage(call: FakeCall, turn: Turn) {
  const prompt = countTokens([call.body?.messages, call.body?.tools]);
  const completion = countTokens(turn.refusal ?? (turn.toolCalls.length ? turn.toolCalls : turn.pieces.join("")));
  const cached = call.scenario.names.has("cache") ? Math.floor(prompt / 2) : 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}
