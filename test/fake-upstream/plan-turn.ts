import { fillFromSchema } from "./fill-from-schema.ts";
import type { Scenario } from "./scenario.ts";

/** What every provider's request boils down to for the fake's purposes. */
export type Conversation = {
  lastUserText: string;
  tools: { name: string; schema: unknown }[];
  toolResults: string[];
  toolChoiceNone: boolean;
  wantsThinking: boolean;
};

export type PlannedCall = { name: string; args: Record<string, unknown> };

/** The assistant's answer before any provider formats it. `pieces` is how the text streams. */
export type Turn = {
  thinking: string | null;
  pieces: string[];
  refusal: string | null;
  toolCalls: PlannedCall[];
};

export const DEFAULT_TEXT = "Hello! This is the fake upstream, answering deterministically.";
export const REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";
export const THINKING_TEXT = "The user wants an answer. I will reason briefly, then reply plainly.";
const MULTIBYTE_TEXT = "こんにちは、世界！ Café crème brûlée 🌸🚀 naïve façade — 日本語のテキストです。";
const FILLER = "The quick brown fox jumps over the lazy dog while streams flow steadily onward".split(" ");

export function planTurn(conversation: Conversation, scenario: Scenario): Turn {
  const thinking = conversation.wantsThinking || scenario.names.has("thinking") ? THINKING_TEXT : null;
  if (scenario.names.has("refusal")) return { thinking, pieces: [], refusal: REFUSAL_TEXT, toolCalls: [] };
  const callsTool = conversation.tools.length > 0 && conversation.toolResults.length === 0 && !conversation.toolChoiceNone;
  if (callsTool) {
    const tool = conversation.tools[0];
    const count = scenario.names.has("single-tool") ? 1 : 2;
    const toolCalls = Array.from({ length: count }, (_, i) => ({ name: tool.name, args: fillFromSchema(tool.schema, i) }));
    return { thinking, pieces: [], refusal: null, toolCalls };
  }
  return { thinking, pieces: piecesFor(answerText(conversation, scenario), scenario.chunks), refusal: null, toolCalls: [] };
}

function answerText(conversation: Conversation, scenario: Scenario): string {
  // Repeated, so a paced stream shows the key in several partial answers.
  if (scenario.echo !== null) return `Your key is ${scenario.echo}. `.repeat(8).trim();
  if (scenario.names.has("multibyte")) return MULTIBYTE_TEXT;
  if (conversation.toolResults.length > 0) return `Based on the tool results: ${conversation.toolResults.join("; ")}`;
  return DEFAULT_TEXT;
}

/** Word-sized pieces, like a model's tokens; with `chunks`, exactly that many from a filler text. */
export function piecesFor(text: string, chunks: number | null): string[] {
  if (chunks !== null) return Array.from({ length: chunks }, (_, i) => (i ? " " : "") + FILLER[i % FILLER.length]);
  return text.match(/\s*\S+/gu) ?? [text];
}

/** Splits a JSON string into a few fragments the way providers stream tool arguments. */
export function fragmentsOf(json: string, size = 8): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < json.length; i += size) fragments.push(json.slice(i, i + size));
  return fragments;
}

/** A stand-in for a tokenizer: roughly four characters per token, never zero. */
export function countTokens(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return Math.max(1, Math.ceil(text.length / 4));
}
