import { textOf } from "../fake-call.ts";
import type { Conversation } from "../plan-turn.ts";

/** Reads a Messages API request body into the provider-neutral view. */
export function messagesConversation(body: any): Conversation {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const userBlocks = messages.filter((message) => message?.role === "user").flatMap((message) => (Array.isArray(message.content) ? message.content : []));
  const lastUser = messages.findLast((message) => message?.role === "user");
  return {
    lastUserText: textOf(Array.isArray(lastUser?.content) ? lastUser.content.filter((block: any) => block?.type === "text") : lastUser?.content),
    tools: (body?.tools ?? []).filter((tool: any) => tool?.input_schema).map((tool: any) => ({ name: tool.name, schema: tool.input_schema })),
    toolResults: userBlocks.filter((block) => block?.type === "tool_result").map((block) => textOf(block.content)),
    toolChoiceNone: body?.tool_choice?.type === "none",
    wantsThinking: body?.thinking?.type === "enabled",
  };
}
