import { isObject as isObj } from "../http/checked.ts";
import { tryParseJson, type AttrBag } from "./attr-bag.ts";
import type { Conversation } from "./gen-ai-messages.ts";
import { message, toolCall, type OpenAiMessage } from "./openai-message.ts";

/** One AI SDK message (parts text / tool-call / tool-result) as OpenAI messages. */
function fromAiSdk(m: Record<string, unknown>): OpenAiMessage[] {
  const role = typeof m.role === "string" ? m.role : "user";
  if (!Array.isArray(m.content)) return [message(role, m.content)];
  const texts: string[] = [];
  const calls = [];
  const results: OpenAiMessage[] = [];
  for (const part of m.content.filter(isObj)) {
    if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "tool-call") calls.push(toolCall(part.toolCallId, part.toolName, part.input ?? part.args));
    else if (part.type === "tool-result") {
      results.push(message("tool", part.output ?? part.result ?? null, { tool_call_id: String(part.toolCallId ?? "") }));
    }
  }
  const main = texts.length || calls.length || !results.length ? [message(role, texts.join("\n") || null, { tool_calls: calls })] : [];
  return [...main, ...results];
}

/**
 * The Vercel AI SDK's own attributes on its doGenerate/doStream spans:
 * ai.prompt.messages (JSON), ai.response.text, ai.response.toolCalls (JSON).
 */
export function vercelAiConversation(bag: AttrBag): Conversation {
  const prompt = tryParseJson(bag.text("ai.prompt.messages"));
  const input = Array.isArray(prompt) ? prompt.filter(isObj).flatMap(fromAiSdk) : undefined;
  const text = bag.text("ai.response.text");
  const calls = tryParseJson(bag.text("ai.response.toolCalls"));
  const toolCalls = Array.isArray(calls)
    ? calls.filter(isObj).map((c) => toolCall(c.toolCallId, c.toolName, c.input ?? c.args))
    : [];
  const output = text !== undefined || toolCalls.length ? message("assistant", text ?? null, { tool_calls: toolCalls }) : undefined;
  return { input, output };
}
