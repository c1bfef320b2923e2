import { isObject as isObj } from "../http/checked.ts";
import { tryParseJson } from "./attr-bag.ts";

/** The OpenAI chat message shape the conversation view draws (client/src/lib/messages.ts). */
export type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };
export type OpenAiMessage = {
  role: string;
  content: unknown;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  name?: string;
};

const asArguments = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v ?? {}));

export function toolCall(id: unknown, name: unknown, args: unknown): ToolCall {
  return {
    id: typeof id === "string" ? id : "",
    type: "function",
    function: { name: typeof name === "string" ? name : "tool", arguments: asArguments(args) },
  };
}

/** Builds a message, leaving out empty tool fields so stored rows stay small. */
export function message(role: string, content: unknown, extra: { tool_calls?: ToolCall[]; tool_call_id?: string } = {}): OpenAiMessage {
  const m: OpenAiMessage = { role, content: content ?? null };
  if (extra.tool_calls?.length) m.tool_calls = extra.tool_calls;
  if (extra.tool_call_id) m.tool_call_id = extra.tool_call_id;
  return m;
}

/**
 * Converts the GenAI semantic conventions' message format
 * (`gen_ai.input.messages`: role + parts of type text / tool_call /
 * tool_call_response / reasoning) into OpenAI chat messages. Messages already
 * in OpenAI shape (content / tool_calls) pass through.
 */
export function fromGenAiMessage(raw: unknown): OpenAiMessage[] {
  if (!isObj(raw)) return [message("user", raw)];
  const role = typeof raw.role === "string" ? raw.role : "user";
  if (!Array.isArray(raw.parts)) {
    return [message(role, raw.content, { tool_calls: toolCallsOf(raw.tool_calls), tool_call_id: str(raw.tool_call_id ?? raw.id) })];
  }
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const results: OpenAiMessage[] = [];
  const other: unknown[] = [];
  for (const part of raw.parts) {
    if (!isObj(part)) continue;
    if (part.type === "text" || part.type === "reasoning") texts.push(str(part.content) ?? "");
    else if (part.type === "tool_call") calls.push(toolCall(part.id, part.name, part.arguments));
    else if (part.type === "tool_call_response") results.push(message("tool", part.response ?? part.result ?? null, { tool_call_id: str(part.id) }));
    else other.push(part);
  }
  const content = other.length ? [...texts.map((text) => ({ type: "text", text })), ...other] : texts.join("\n") || null;
  // A tool message made only of responses becomes one OpenAI tool message per call.
  const main = content !== null || calls.length || results.length === 0 ? [message(role, content, { tool_calls: calls })] : [];
  return [...main, ...results];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** tool_calls in either OpenAI shape ({function: {name, arguments}}) or flat ({name, arguments}). */
export function toolCallsOf(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).map((c) => {
    const fn = isObj(c.function) ? c.function : c;
    return toolCall(c.id, fn.name, fn.arguments ?? fn.args ?? fn.input);
  });
}

/** Parses a value that should be a list of messages (JSON string or array). */
export function messageList(value: unknown): OpenAiMessage[] | undefined {
  const parsed = typeof value === "string" ? tryParseJson(value) : value;
  if (!Array.isArray(parsed)) return undefined;
  return parsed.flatMap(fromGenAiMessage);
}
