import type { EventStreamSpec } from "../wrap/trace-event-stream.ts";
import type { LlmCallSpec } from "../wrap/trace-llm-call.ts";
import { MessageStreamAssembler } from "./message-stream-assembler.ts";
import { messageOutput } from "./message-output.ts";

/** Anthropic keeps the system prompt apart from the messages; the span input puts it first, as a message. */
export function messagesRequest(params: Record<string, unknown>) {
  const { messages, system, ...parameters } = params;
  const input = Array.isArray(messages) ? [...messages] : [];
  if (system !== undefined && system !== null && system !== "") input.unshift({ role: "system", content: system });
  return { input, metadata: parameters };
}

export const messagesCreate: LlmCallSpec = {
  name: "anthropic.messages.create",
  provider: "anthropic",
  request: messagesRequest,
  response: messageOutput,
  assembler: () => new MessageStreamAssembler(),
};

/** `messages.stream()`: the MessageStream emits each raw event as `streamEvent`. */
export const messagesStream: EventStreamSpec = {
  ...messagesCreate,
  name: "anthropic.messages.stream",
  assembler: () => new MessageStreamAssembler(),
  itemEvent: "streamEvent",
};
