import type { StreamAssembler } from "../wrap/stream-assembler.ts";
import { messageOutput } from "./message-output.ts";
import type { AnthropicMessage, ContentBlock, RawStreamEvent } from "./types.ts";

/** Rebuilds a Message from raw stream events; tool input arrives as JSON fragments, parsed at block stop. */
export class MessageStreamAssembler implements StreamAssembler {
  #message: AnthropicMessage = { role: "assistant", content: [] };
  #json = new Map<number, string>();

  add(item: unknown): boolean {
    const event = item as RawStreamEvent;
    switch (event.type) {
      case "message_start":
        this.#message = { ...event.message, content: [], usage: { ...event.message?.usage } };
        return false;
      case "content_block_start":
        this.#content()[event.index ?? this.#content().length] = { ...event.content_block } as ContentBlock;
        return false;
      case "content_block_delta":
        this.#applyDelta(event);
        return true;
      case "content_block_stop":
        this.#finishToolInput(event.index ?? 0);
        return false;
      case "message_delta":
        if (event.delta?.stop_reason !== undefined) this.#message.stop_reason = event.delta.stop_reason;
        // message_delta usage counters are cumulative totals: overwrite, never add.
        for (const [key, value] of Object.entries(event.usage ?? {})) {
          if (value !== null && value !== undefined) (this.#message.usage ??= {})[key as keyof NonNullable<AnthropicMessage["usage"]>] = value as number;
        }
        return false;
      default:
        return false;
    }
  }

  result() {
    for (const index of this.#json.keys()) this.#finishToolInput(index);
    return messageOutput(this.#message);
  }

  #content(): ContentBlock[] {
    return (this.#message.content ??= []);
  }

  #applyDelta(event: RawStreamEvent): void {
    const index = event.index ?? 0;
    const block = this.#content()[index];
    const delta = event.delta ?? {};
    if (!block) return;
    if (delta.type === "text_delta") block.text = (block.text ?? "") + (delta.text ?? "");
    else if (delta.type === "input_json_delta") this.#json.set(index, (this.#json.get(index) ?? "") + (delta.partial_json ?? ""));
    else if (delta.type === "thinking_delta") block.thinking = (block.thinking ?? "") + (delta.thinking ?? "");
    else if (delta.type === "signature_delta") block.signature = delta.signature;
    else if (delta.type === "citations_delta") block.citations = [...(block.citations ?? []), delta.citation];
  }

  #finishToolInput(index: number): void {
    const json = this.#json.get(index);
    const block = this.#content()[index];
    if (json === undefined || !block) return;
    this.#json.delete(index);
    try {
      block.input = JSON.parse(json);
    } catch {
      // A stream cut mid-arguments: keep the fragment rather than nothing.
      block.input = json;
    }
  }
}
