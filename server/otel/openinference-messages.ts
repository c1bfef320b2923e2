import { isObject as isObj } from "../http/checked.ts";
import { unflatten, type AttrBag } from "./attr-bag.ts";
import type { Conversation } from "./gen-ai-messages.ts";
import { message, toolCall, type OpenAiMessage } from "./openai-message.ts";

/** message.contents.N.message_content.{type,text}: multi-part content as OpenAI content parts. */
function contents(m: Record<string, unknown>): unknown {
  if (!Array.isArray(m.contents)) return m.content;
  return m.contents.filter(isObj).map((c) => (isObj(c.message_content) ? c.message_content : c));
}

function readMessages(flat: unknown, role: string): OpenAiMessage[] | undefined {
  if (!Array.isArray(flat)) return undefined;
  return flat.filter(isObj).map((entry) => {
    const m = isObj(entry.message) ? entry.message : entry;
    const calls = Array.isArray(m.tool_calls)
      ? m.tool_calls.filter(isObj).map((c) => {
          const call = isObj(c.tool_call) ? c.tool_call : c;
          const fn = isObj(call.function) ? call.function : {};
          return toolCall(call.id, fn.name, fn.arguments);
        })
      : [];
    return message(typeof m.role === "string" ? m.role : role, contents(m), {
      tool_calls: calls,
      tool_call_id: typeof m.tool_call_id === "string" ? m.tool_call_id : undefined,
    });
  });
}

/** OpenInference llm spans: llm.input_messages.N.message.* and llm.output_messages.N.message.* */
export function openInferenceConversation(bag: AttrBag): Conversation {
  const input = readMessages(unflatten(bag.under("llm.input_messages")), "user");
  const output = readMessages(unflatten(bag.under("llm.output_messages")), "assistant");
  return { input, output: output?.[0] };
}
