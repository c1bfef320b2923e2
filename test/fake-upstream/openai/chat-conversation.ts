import { textOf } from "../fake-call.ts";
import type { Conversation } from "../plan-turn.ts";

/** Reads a Chat Completions request body into the provider-neutral view. */
export function chatConversation(body: any): Conversation {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const lastUser = messages.findLast((message) => message?.role === "user");
  return {
    lastUserText: textOf(lastUser?.content),
    tools: (body?.tools ?? [])
      .filter((tool: any) => tool?.type === "function")
      .map((tool: any) => ({ name: tool.function.name, schema: tool.function.parameters })),
    toolResults: messages.filter((message) => message?.role === "tool").map((message) => textOf(message.content)),
    toolChoiceNone: body?.tool_choice === "none",
    wantsThinking: false,
  };
}
