import type { Span } from "../api/types.ts";
import { readInputMessages, readOutputMessages, type ChatMessage, type Part } from "./messages.ts";
import { errorMessage, errorStatus } from "./span-errors.ts";
import { byStart, spanStatus } from "./spans.ts";

export type Turn = ChatMessage & {
  key: string;
  /** The span whose input or output first carried this message. */
  spanId: string | null;
  /** An LLM call still streaming: its text is still growing. */
  streaming: boolean;
  /** A tool span that no tool call in the messages accounts for. */
  toolSpan: boolean;
};

export type ToolOutcome = { content: unknown; isError: boolean; spanId: string | null };

export type Conversation = {
  turns: Turn[];
  /** Tool results by tool call id (from result messages, else from the matching tool span). */
  outcomes: Map<string, ToolOutcome>;
};

/**
 * The whole run as one conversation. Each LLM call's input repeats the history
 * so far; only the messages past the common prefix are new. Tool calls pair
 * with results by id; tool spans pair with calls of the same name, in order.
 */
export function buildConversation(spans: Span[], fallback?: { input?: unknown; output?: unknown }): Conversation {
  const turns: Turn[] = [];
  const history: string[] = [];
  const outcomes = new Map<string, ToolOutcome>();
  const toolSpans: { span: Span; at: number }[] = [];

  const add = (message: ChatMessage, span: Span | null, streaming = false) => {
    history.push(fingerprint(message));
    turns.push({ ...message, key: `${turns.length}`, spanId: span?.span_id ?? null, streaming, toolSpan: false });
  };

  const sorted = [...spans].sort(byStart);
  for (const span of sorted) {
    if (span.type === "tool") toolSpans.push({ span, at: turns.length });
    if (span.type !== "llm") continue;
    const input = readInputMessages(span.input);
    let shared = 0;
    while (shared < input.length && shared < history.length && fingerprint(input[shared]!) === history[shared]) shared++;
    for (const message of input.slice(shared)) add(message, span);
    const running = spanStatus(span) === "running";
    for (const message of readOutputMessages(span.output)) add(message, span, running);
    if (running && span.output == null) add({ role: "assistant", parts: [] }, span, true);
    // A failed call answers with its error, in the conversation where the answer would be.
    if (spanStatus(span) === "error") add({ role: "assistant", parts: [{ kind: "error", message: errorMessage(span), status: errorStatus(span) }] }, span);
  }

  if (!turns.length && fallback) {
    // A job's input like {shard: 7} is not a chat: it is shown as Input and Output, not as turns.
    const chat = isChatShaped(fallback.input) || isChatShaped(fallback.output);
    for (const message of chat ? readInputMessages(fallback.input) : plain("input", fallback.input)) add(message, null);
    for (const message of chat ? readOutputMessages(fallback.output) : plain("output", fallback.output)) add(message, null);
  }

  for (const turn of turns) {
    for (const part of turn.parts) {
      if (part.kind === "tool_result") outcomes.set(part.toolCallId, { content: part.content, isError: part.isError, spanId: turn.spanId });
    }
  }
  pairToolSpans(turns, toolSpans, outcomes);
  return { turns, outcomes };
}

function pairToolSpans(turns: Turn[], toolSpans: { span: Span; at: number }[], outcomes: Map<string, ToolOutcome>) {
  const calls = turns.flatMap((t) => t.parts.filter((p): p is Extract<Part, { kind: "tool_call" }> => p.kind === "tool_call"));
  const used = new Set<string>();
  const unmatched: { span: Span; at: number }[] = [];
  for (const entry of toolSpans) {
    const call = calls.find((c) => !used.has(c.id) && c.name === entry.span.name);
    if (!call) {
      unmatched.push(entry);
      continue;
    }
    used.add(call.id);
    const failed = spanStatus(entry.span) === "error";
    const known = outcomes.get(call.id);
    if (failed) {
      // The tool span knows it failed even when the result message sent back to the model does not.
      outcomes.set(call.id, { content: known?.content ?? entry.span.output ?? errorMessage(entry.span), isError: true, spanId: entry.span.span_id });
    } else if (!known && entry.span.output !== undefined && entry.span.output !== null) {
      outcomes.set(call.id, { content: entry.span.output, isError: false, spanId: entry.span.span_id });
    }
  }
  // Latest first, so earlier insertion points stay valid.
  for (const { span, at } of unmatched.reverse()) {
    const id = `span:${span.span_id}`;
    turns.splice(at, 0, {
      role: "tool",
      parts: [{ kind: "tool_call", id, name: span.name ?? "tool", input: span.input }],
      key: id,
      spanId: span.span_id,
      streaming: spanStatus(span) === "running",
      toolSpan: true,
    });
    const failed = spanStatus(span) === "error";
    if (failed || (span.output !== undefined && span.output !== null)) {
      outcomes.set(id, { content: span.output ?? errorMessage(span), isError: failed, spanId: span.span_id });
    }
  }
}

function plain(role: "input" | "output", value: unknown): ChatMessage[] {
  return value === null || value === undefined ? [] : [{ role, parts: [{ kind: "data", value }] }];
}

/** A bare prompt, a message list, a request body with messages, or a provider response. */
function isChatShaped(value: unknown): boolean {
  if (typeof value === "string") return true;
  if (Array.isArray(value)) return value.length > 0 && value.every((m) => typeof m === "object" && m !== null && ("role" in m || "message" in m || "type" in m));
  if (typeof value !== "object" || value === null) return false;
  return ["messages", "role", "choices", "content", "message"].some((key) => key in value) || Array.isArray((value as { input?: unknown }).input);
}

/** Identity of a message regardless of which wire shape carried it. */
function fingerprint(message: ChatMessage): string {
  return JSON.stringify([message.role, message.parts]);
}

/** A user turn holding only tool results that the calls above already show. */
export function isAnsweredToolResults(turn: Turn, conversation: Conversation, callIds: Set<string>): boolean {
  return turn.parts.length > 0 && turn.parts.every((p) => p.kind === "tool_result" && callIds.has(p.toolCallId) && conversation.outcomes.has(p.toolCallId));
}
