import { textOf } from "../fake-call.ts";
import type { Conversation } from "../plan-turn.ts";

/** Reads a Responses API request body into the provider-neutral view. */
export function responsesConversation(body: any): Conversation {
  const items: any[] = typeof body?.input === "string" ? [{ role: "user", content: body.input }] : Array.isArray(body?.input) ? body.input : [];
  const lastUser = items.findLast((item) => item?.role === "user");
  return {
    lastUserText: textOf(lastUser?.content),
    tools: (body?.tools ?? []).filter((tool: any) => tool?.type === "function").map((tool: any) => ({ name: tool.name, schema: tool.parameters })),
    toolResults: items.filter((item) => item?.type === "function_call_output").map((item) => String(item.output ?? "")),
    toolChoiceNone: body?.tool_choice === "none",
    wantsThinking: Boolean(body?.reasoning?.summary),
  };
}
