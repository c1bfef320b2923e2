import { trackOpenStream } from "../span/open-streams.ts";
import type { RecordingSpan } from "../span/span.ts";
import { nowSeconds } from "../util/clock.ts";
import type { StreamAssembler } from "./stream-assembler.ts";

/** How a stream came to an end, as recorded in the span's `metadata.stream_end`. */
export type StreamEnd = "completed" | "error" | "break" | "aborted" | "abandoned" | "exit";

/**
 * The span side of one streamed LLM call: feeds items to the provider's assembler, notes the first
 * token, and ends the span exactly once, with what was read so far, however the stream ends.
 * It holds no reference to the stream object itself, so an abandoned stream can be garbage-collected.
 */
export class StreamTracker {
  #firstTokenAt: number | undefined;
  #untrack: () => void;

  readonly #span: RecordingSpan;
  readonly #assembler: StreamAssembler;

  constructor(span: RecordingSpan, assembler: StreamAssembler) {
    this.#span = span;
    this.#assembler = assembler;
    this.#untrack = trackOpenStream((reason) => this.finish(reason === "exit" ? "exit" : "abandoned"));
  }

  get ended(): boolean {
    return this.#span.ended;
  }

  /** Reads one item; returns true when the caller must not see it (StreamAssembler.hides). */
  add(item: unknown, snapshot?: unknown): boolean {
    try {
      if (this.#assembler.add(item) && this.#firstTokenAt === undefined) this.#firstTokenAt = nowSeconds();
    } catch {
      // An item we cannot read is still the caller's item; only the span loses it.
    }
    try {
      return this.#assembler.hides?.(item, snapshot) === true;
    } catch {
      return false;
    }
  }

  finish(how: StreamEnd, error?: unknown): void {
    if (this.#span.ended) return;
    this.#untrack();
    let result: ReturnType<StreamAssembler["result"]> = {};
    try {
      result = this.#assembler.result();
    } catch {
      // Fall through with an empty result: the span must still end.
    }
    const ttft = this.#firstTokenAt === undefined ? undefined : this.#firstTokenAt - this.#span.startTime;
    this.#span.end({
      ...result,
      error: how === "error" ? error : result.error,
      metadata: { ...result.metadata, stream_end: how },
      metrics: { ...result.metrics, time_to_first_token: ttft },
      status: how === "completed" || how === "error" ? undefined : "cancelled",
    });
  }
}
