import type { Assembled, StreamAssembler } from "./capture/assembled.ts";
import { assembleMessage, messagesStreamAssembler } from "./capture/anthropic-messages.ts";
import { assembleChatCompletion, chatStreamAssembler } from "./capture/openai-chat.ts";
import { assembleEmbeddings, noStreamAssembler } from "./capture/openai-embeddings.ts";
import { assembleResponse, responsesStreamAssembler } from "./capture/openai-responses.ts";

/** How one recorded endpoint's request and answer map onto an llm span. */
export type RecordedEndpoint = {
  spanName: string;
  /** Chat completions report streamed usage only when asked (`stream_options.include_usage`). */
  asksForStreamUsage: boolean;
  /** The conversation sent: system prompt first, then the messages (docs/SPANS.md); for embeddings the input as given. */
  input(body: any): unknown;
  /** Request fields that are neither conversation nor tools: model, temperature, max_tokens, … */
  params(body: any): Record<string, unknown>;
  fromJson(body: unknown): Assembled;
  streamAssembler(): StreamAssembler;
};

function without(body: any, keys: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body ?? {})) if (!keys.includes(key)) params[key] = value;
  return params;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const openaiChat: RecordedEndpoint = {
  spanName: "openai chat",
  asksForStreamUsage: true,
  input: (body) => asList(body?.messages),
  params: (body) => without(body, ["messages", "tools"]),
  fromJson: assembleChatCompletion,
  streamAssembler: chatStreamAssembler,
};

export const openaiResponses: RecordedEndpoint = {
  spanName: "openai responses",
  asksForStreamUsage: false,
  input: (body) => [
    ...(body?.instructions ? [{ role: "system", content: body.instructions }] : []),
    ...(typeof body?.input === "string" ? [{ role: "user", content: body.input }] : asList(body?.input)),
  ],
  params: (body) => without(body, ["input", "instructions", "tools"]),
  fromJson: assembleResponse,
  streamAssembler: responsesStreamAssembler,
};

export const anthropicMessages: RecordedEndpoint = {
  spanName: "anthropic messages",
  asksForStreamUsage: false,
  input: (body) => [...(body?.system ? [{ role: "system", content: body.system }] : []), ...asList(body?.messages)],
  params: (body) => without(body, ["messages", "system", "tools"]),
  fromJson: assembleMessage,
  streamAssembler: messagesStreamAssembler,
};

/** The same span the SDKs record for `embeddings.create`: the input text, the vectors' count and size. */
export const openaiEmbeddings: RecordedEndpoint = {
  spanName: "openai embeddings",
  asksForStreamUsage: false,
  input: (body) => body?.input ?? null,
  params: (body) => ({ ...without(body, ["input"]), kind: "embedding" }),
  fromJson: assembleEmbeddings,
  streamAssembler: noStreamAssembler,
};
