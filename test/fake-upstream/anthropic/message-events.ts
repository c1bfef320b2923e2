import { fragmentsOf, piecesFor, type Turn } from "../plan-turn.ts";
import { sseFrame, type Frame } from "../respond.ts";
import type { MessageObject } from "./messages.ts";

/**
 * The Messages API's event stream for a finished message: message_start (input usage), per block
 * content_block_start / deltas / stop, a ping after the first block starts, message_delta
 * (stop reason, cumulative usage), message_stop.
 */
export function messageEventFrames(message: MessageObject, turn: Turn): Frame[] {
  const frames: Frame[] = [];
  const emit = (type: string, data: object, delta = false) => frames.push(sseFrame(type, { type, ...data }, delta));
  emit("message_start", { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } });
  message.content.forEach((block, index) => {
    if (block.type === "thinking") {
      emit("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } });
      for (const thinking of piecesFor(block.thinking, null)) emit("content_block_delta", { index, delta: { type: "thinking_delta", thinking } }, true);
      emit("content_block_delta", { index, delta: { type: "signature_delta", signature: block.signature } });
    } else if (block.type === "tool_use") {
      emit("content_block_start", { index, content_block: { ...block, input: {} } });
      for (const partial_json of ["", ...fragmentsOf(JSON.stringify(block.input))]) emit("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }, true);
    } else {
      emit("content_block_start", { index, content_block: { type: "text", text: "" } });
      const pieces = turn.toolCalls.length || turn.refusal !== null ? piecesFor(block.text, null) : turn.pieces;
      for (const text of pieces) emit("content_block_delta", { index, delta: { type: "text_delta", text } }, true);
    }
    emit("content_block_stop", { index });
  });
  // The API pings right after the first block starts.
  frames.splice(2, 0, sseFrame("ping", { type: "ping" }));
  emit("message_delta", { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { ...message.usage, service_tier: undefined } });
  emit("message_stop", {});
  return frames;
}
