import type { StreamAssembler } from "../wrap/stream-assembler.ts";
import { chatCompletionOutput } from "./chat-output.ts";
import type { ChatCompletion, ChatCompletionChunk, ChatMessage, ChatToolCall, OpenAIUsage } from "./types.ts";

interface ChoiceState {
  message: ChatMessage & { content: string | null; tool_calls?: ChatToolCall[] };
  finish_reason: string | null;
}

/** Rebuilds a chat completion from `chat.completion.chunk`s: content, refusal and tool calls by index. */
export class ChatStreamAssembler implements StreamAssembler {
  #choices: ChoiceState[] = [];
  #id: string | undefined;
  #usage: OpenAIUsage | null | undefined;
  readonly #injectedUsage: boolean;

  /** `injectedUsage`: the SDK asked for usage, the caller did not; see hides(). */
  constructor(injectedUsage = false) {
    this.#injectedUsage = injectedUsage;
  }

  /**
   * Hides what `include_usage` added: the usage-only last chunk, and the `"usage": null` it puts on
   * every other chunk (and so on a streaming helper's running snapshot, and its final completion).
   */
  hides(item: unknown, snapshot?: unknown): boolean {
    if (!this.#injectedUsage) return false;
    const chunk = item as ChatCompletionChunk;
    if (snapshot && typeof snapshot === "object") delete (snapshot as { usage?: unknown }).usage;
    if (chunk.usage && (chunk.choices ?? []).length === 0) return true;
    if (chunk.usage === null) delete (chunk as { usage?: unknown }).usage;
    return false;
  }

  add(item: unknown): boolean {
    const chunk = item as ChatCompletionChunk;
    this.#id ??= chunk.id;
    if (chunk.usage) this.#usage = chunk.usage;
    let carried = false;
    for (const choice of chunk.choices ?? []) {
      const state = this.#choice(choice.index ?? 0);
      const delta = choice.delta ?? {};
      if (delta.role) state.message.role = delta.role;
      if (delta.content) {
        state.message.content = (state.message.content ?? "") + delta.content;
        carried = true;
      }
      if (delta.refusal) {
        state.message.refusal = (state.message.refusal ?? "") + delta.refusal;
        carried = true;
      }
      for (const call of delta.tool_calls ?? []) {
        appendToolCall(state.message, call);
        carried = true;
      }
      if (choice.finish_reason) state.finish_reason = choice.finish_reason;
    }
    return carried;
  }

  result() {
    const completion: ChatCompletion = {
      id: this.#id,
      choices: this.#choices.map((choice) => ({ message: choice.message, finish_reason: choice.finish_reason })),
      usage: this.#usage,
    };
    return chatCompletionOutput(completion);
  }

  #choice(index: number): ChoiceState {
    return (this.#choices[index] ??= { message: { role: "assistant", content: null }, finish_reason: null });
  }
}

function appendToolCall(message: ChoiceState["message"], delta: ChatToolCall & { index?: number }): void {
  const calls = (message.tool_calls ??= []);
  const index = delta.index ?? calls.length;
  const call = (calls[index] ??= { id: delta.id, type: delta.type ?? "function", function: { name: "", arguments: "" } });
  if (delta.id) call.id = delta.id;
  if (delta.function?.name) call.function!.name += delta.function.name;
  if (delta.function?.arguments) call.function!.arguments += delta.function.arguments;
}
