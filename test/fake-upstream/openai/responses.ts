import { CREATED } from "../ids.ts";
import type { FakeCall } from "../fake-call.ts";
import { countTokens, planTurn, type Turn } from "../plan-turn.ts";
import { cutJsonResponse, jsonResponse, sseFrame, sseResponse, withMidStreamError, withOddEvent, ODD_TEXT } from "../respond.ts";
import { responsesConversation } from "./responses-conversation.ts";
import { responsesEventFrames, responsesFailureFrame } from "./responses-events.ts";

/** POST /v1/responses, plain or streamed, in api.openai.com's wire format. */
export function responses(call: FakeCall): Response {
  const turn = planTurn(responsesConversation(call.body), call.scenario);
  const headers = { "x-request-id": call.requestId };
  const response = responseObject(call, turn, "completed");
  if (call.body?.stream !== true) return call.scenario.names.has("cut") ? cutJsonResponse(response, headers) : jsonResponse(response, 200, headers);
  let frames = responsesEventFrames(response);
  if (call.scenario.names.has("mid-stream-error")) frames = withMidStreamError(frames, responsesFailureFrame(response));
  // A text delta whose delta is not a string.
  if (call.scenario.names.has("odd-event")) frames = withOddEvent(frames, sseFrame("response.output_text.delta", { type: "response.output_text.delta", sequence_number: 9998, item_id: "msg_odd", output_index: 0, content_index: 0, delta: { odd: ODD_TEXT } }));
  return sseResponse(frames, call.scenario, call.signal, headers);
}

export type ResponseObject = ReturnType<typeof responseObject>;

export function responseObject(call: FakeCall, turn: Turn, status: string) {
  const output: any[] = [];
  if (turn.thinking !== null) output.push({ type: "reasoning", id: call.ids.of("rs_"), summary: [{ type: "summary_text", text: turn.thinking }] });
  if (turn.toolCalls.length) {
    turn.toolCalls.forEach((toolCall, i) =>
      output.push({ type: "function_call", id: call.ids.of("fc_", i), call_id: call.ids.of("call_", i), name: toolCall.name, arguments: JSON.stringify(toolCall.args), status: "completed" }),
    );
  } else {
    const part = turn.refusal !== null ? { type: "refusal", refusal: turn.refusal } : { type: "output_text", text: turn.pieces.join(""), annotations: [], logprobs: [] };
    output.push({ type: "message", id: call.ids.of("msg_"), status: "completed", role: "assistant", content: [part] });
  }
  return {
    id: call.ids.of("resp_"),
    object: "response",
    created_at: CREATED,
    status,
    background: false,
    error: null as null | { code: string; message: string },
    incomplete_details: null,
    instructions: call.body?.instructions ?? null,
    max_output_tokens: call.body?.max_output_tokens ?? null,
    model: String(call.body?.model ?? "gpt-4o"),
    output,
    parallel_tool_calls: true,
    previous_response_id: call.body?.previous_response_id ?? null,
    reasoning: { effort: call.body?.reasoning?.effort ?? null, summary: call.body?.reasoning?.summary ?? null },
    store: true,
    temperature: call.body?.temperature ?? 1,
    text: { format: { type: "text" } },
    tool_choice: call.body?.tool_choice ?? "auto",
    tools: call.body?.tools ?? [],
    top_p: call.body?.top_p ?? 1,
    truncation: "disabled",
    usage: responsesUsage(call, turn) as ReturnType<typeof responsesUsage> | null,
    user: null,
    metadata: call.body?.metadata ?? {},
  };
}

function responsesUsage(call: FakeCall, turn: Turn) {
  const input = countTokens([call.body?.instructions, call.body?.input, call.body?.tools]);
  const reasoning = turn.thinking === null ? 0 : countTokens(turn.thinking);
  const output = reasoning + countTokens(turn.refusal ?? (turn.toolCalls.length ? turn.toolCalls : turn.pieces.join("")));
  const cached = call.scenario.names.has("cache") ? Math.floor(input / 2) : 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}
