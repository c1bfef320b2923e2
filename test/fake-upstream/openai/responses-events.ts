import { fragmentsOf, piecesFor } from "../plan-turn.ts";
import { sseFrame, type Frame } from "../respond.ts";
import type { ResponseObject } from "./responses.ts";

/**
 * The Responses API's typed event stream for a finished response object: created, in_progress,
 * per output item its added/delta/done events, then completed with usage.
 */
export function responsesEventFrames(response: ResponseObject): Frame[] {
  let sequence = 0;
  const frames: Frame[] = [];
  const emit = (type: string, data: object, delta = false) => frames.push(sseFrame(type, { type, sequence_number: sequence++, ...data }, delta));
  const pending = { ...response, status: "in_progress", output: [], usage: null };
  emit("response.created", { response: pending });
  emit("response.in_progress", { response: pending });
  response.output.forEach((item, output_index) => {
    const at = { item_id: item.id, output_index };
    if (item.type === "reasoning") {
      const text = item.summary[0].text;
      emit("response.output_item.added", { output_index, item: { ...item, summary: [] } });
      emit("response.reasoning_summary_part.added", { ...at, summary_index: 0, part: { type: "summary_text", text: "" } });
      for (const delta of piecesFor(text, null)) emit("response.reasoning_summary_text.delta", { ...at, summary_index: 0, delta }, true);
      emit("response.reasoning_summary_text.done", { ...at, summary_index: 0, text });
      emit("response.reasoning_summary_part.done", { ...at, summary_index: 0, part: { type: "summary_text", text } });
    } else if (item.type === "function_call") {
      emit("response.output_item.added", { output_index, item: { ...item, arguments: "", status: "in_progress" } });
      for (const delta of fragmentsOf(item.arguments)) emit("response.function_call_arguments.delta", { ...at, delta }, true);
      emit("response.function_call_arguments.done", { ...at, name: item.name, arguments: item.arguments });
    } else {
      const part = item.content[0];
      const refusal = part.type === "refusal";
      const text: string = refusal ? part.refusal : part.text;
      const inPart = { ...at, content_index: 0 };
      emit("response.output_item.added", { output_index, item: { ...item, status: "in_progress", content: [] } });
      emit("response.content_part.added", { ...inPart, part: refusal ? { type: "refusal", refusal: "" } : { ...part, text: "" } });
      for (const delta of piecesFor(text, null)) emit(refusal ? "response.refusal.delta" : "response.output_text.delta", refusal ? { ...inPart, delta } : { ...inPart, delta, logprobs: [] }, true);
      emit(refusal ? "response.refusal.done" : "response.output_text.done", refusal ? { ...inPart, refusal: text } : { ...inPart, text, logprobs: [] });
      emit("response.content_part.done", { ...inPart, part });
    }
    emit("response.output_item.done", { output_index, item });
  });
  emit("response.completed", { response });
  return frames;
}

/** How a Responses stream ends when the model fails midway. */
export function responsesFailureFrame(response: ResponseObject): Frame {
  const failed = { ...response, status: "failed", output: [], usage: null, error: { code: "server_error", message: "The model failed to generate a response." } };
  return sseFrame("response.failed", { type: "response.failed", sequence_number: 9999, response: failed });
}
