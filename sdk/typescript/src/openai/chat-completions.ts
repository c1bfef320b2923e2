import type { EventStreamSpec } from "../wrap/trace-event-stream.ts";
import type { LlmCallSpec } from "../wrap/trace-llm-call.ts";
import { ChatStreamAssembler } from "./chat-stream-assembler.ts";
import { chatCompletionOutput } from "./chat-output.ts";

/** The messages are the input (system first, as the caller ordered them); every other parameter is metadata. */
function request(params: Record<string, unknown>) {
  const { messages, ...parameters } = params;
  return { input: messages, metadata: parameters };
}

/** A stream that did not set `stream_options` asks for usage (the proxy does the same). */
function withStreamUsage(params: Record<string, unknown>) {
  if (params.stream !== true || params.stream_options != null) return null;
  return { ...params, stream_options: { include_usage: true } };
}

export const chatCreate: LlmCallSpec = {
  name: "openai.chat.completions.create",
  provider: "openai",
  request,
  response: chatCompletionOutput,
  assembler: (injectedUsage) => new ChatStreamAssembler(injectedUsage),
  withStreamUsage,
};

export const chatParse: LlmCallSpec = {
  name: "openai.chat.completions.parse",
  provider: "openai",
  request,
  response: chatCompletionOutput,
};

/** `chat.completions.stream()`: the ChatCompletionStream emits each raw chunk as `chunk`. */
export const chatStream: EventStreamSpec = {
  ...chatCreate,
  name: "openai.chat.completions.stream",
  assembler: (injectedUsage) => new ChatStreamAssembler(injectedUsage),
  itemEvent: "chunk",
  // The helper always streams; its params carry no `stream: true`.
  withStreamUsage: (params) => (params.stream_options != null ? null : { ...params, stream_options: { include_usage: true } }),
};
