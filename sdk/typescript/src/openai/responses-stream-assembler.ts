import type { StreamAssembler } from "../wrap/stream-assembler.ts";
import { responseOutput } from "./responses-output.ts";
import type { ResponseObject, ResponseStreamEvent } from "./types.ts";

// Terminal events carry the whole Response; before one arrives, the text deltas are all there is.
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** Rebuilds a Responses API answer from its stream events. */
export class ResponsesStreamAssembler implements StreamAssembler {
  #final: ResponseObject | undefined;
  #text = "";

  add(item: unknown): boolean {
    const event = item as ResponseStreamEvent;
    const type = event.type ?? "";
    if (TERMINAL.has(type) && event.response) this.#final = event.response;
    if (type === "response.output_text.delta" && typeof event.delta === "string") {
      this.#text += event.delta;
      return true;
    }
    return type.endsWith(".delta");
  }

  result() {
    if (this.#final) return responseOutput(this.#final);
    const output = this.#text
      ? [{ type: "message", role: "assistant", content: [{ type: "output_text", text: this.#text }] }]
      : [];
    return { output };
  }
}
