import type { Span } from "../api/types.ts";
import { readInputMessages, readOutputMessages, type ChatMessage, type Part } from "./messages.ts";
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
  }

  if (!turns.length && fallback) {
    for (const message of readInputMessages(fallback.input)) add(message, null);
    for (const message of readOutputMessages(fallback.output)) add(message, null);
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
    if (!outcomes.has(call.id) && entry.span.output !== undefined && entry.span.output !== null) {
      outcomes.set(call.id, { content: entry.span.output, isError: spanStatus(entry.span) === "error", spanId: entry.span.span_id });
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
    if (span.output !== undefined && span.output !== null) {
      outcomes.set(id, { content: span.output, isError: spanStatus(span) === "error", spanId: span.span_id });
    }
  }
}

/** Identity of a message regardless of which wire shape carried it. */
function fingerprint(message: ChatMessage): string {
  return JSON.stringify([message.role, message.parts]);
}

/** A user turn holding only tool results that the calls above already show. */
export function isAnsweredToolResults(turn: Turn, conversation: Conversation, callIds: Set<string>): boolean {
  return turn.parts.length > 0 && turn.parts.every((p) => p.kind === "tool_result" && callIds.has(p.toolCallId) && conversation.outcomes.has(p.toolCallId));
}
