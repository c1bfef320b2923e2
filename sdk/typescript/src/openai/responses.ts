import type { EventStreamSpec } from "../wrap/trace-event-stream.ts";
import type { LlmCallSpec } from "../wrap/trace-llm-call.ts";
import { responseOutput } from "./responses-output.ts";
import { ResponsesStreamAssembler } from "./responses-stream-assembler.ts";

/** `instructions` is the system message; a string `input` is one user message. */
function request(params: Record<string, unknown>) {
  const { input, instructions, ...parameters } = params;
  const messages: unknown[] = typeof input === "string" ? [{ role: "user", content: input }] : Array.isArray(input) ? [...input] : input === undefined ? [] : [input];
  if (typeof instructions === "string" && instructions) messages.unshift({ role: "system", content: instructions });
  return { input: messages, metadata: parameters };
}

export const responsesCreate: LlmCallSpec = {
  name: "openai.responses.create",
  provider: "openai",
  request,
  response: responseOutput,
  assembler: () => new ResponsesStreamAssembler(),
};

export const responsesParse: LlmCallSpec = { ...responsesCreate, name: "openai.responses.parse", assembler: undefined };

/** `responses.stream()`: the ResponseStream emits each raw event as `event`. */
export const responsesStream: EventStreamSpec = {
  ...responsesCreate,
  name: "openai.responses.stream",
  assembler: () => new ResponsesStreamAssembler(),
  itemEvent: "event",
};
