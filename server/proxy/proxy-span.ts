import type { SpanRowInput, SpanStatus } from "../../db/write/span-row.ts";
import type { Writer } from "../../db/write/writer.ts";
import type { TokenUsage } from "./capture/token-usage.ts";
import type { CallContext } from "./call-context.ts";
import type { CallTags } from "./kalmia-headers.ts";
import { inFlightChange, PROGRESS_EVERY_MS, type ProgressSink } from "./live-progress.ts";
import type { Scrub } from "./scrub-secrets.ts";

export type SpanStart = {
  tags: CallTags;
  name: string;
  provider: string;
  model: string | null;
  input: unknown;
  metadata: Record<string, unknown>;
  /** The call's user, session and tags (call-context.ts), on every row. */
  context?: CallContext;
  /** Removes the call's credentials from anything recorded or shown (scrub-secrets.ts). */
  scrub: Scrub;
};

export type SpanEnd = {
  status: Exclude<SpanStatus, "running">;
  output: unknown;
  error: unknown;
  model: string | null;
  usage: TokenUsage | null;
  finishReason: string | null;
  httpStatus: number | null;
  requestId: string | null;
  /** What the capture noted about the answer (skipped events, a missing final event). */
  metadata?: Record<string, unknown>;
};

const nowSeconds = () => (performance.timeOrigin + performance.now()) / 1000;

/**
 * The llm span of one proxied call, written as two rows in the docs/SPANS.md format: one when the
 * call starts (status running, so it shows live) and one when it ends. Neither write is awaited: the
 * caller never waits for the database. The running row waits `runningRowDelayMs` (default 50 ms):
 * a call that ends sooner is written once, whole, which halves the writes of fast calls (the
 * database writer shares the event loop with every call in flight) while a real model call still
 * shows as running within a blink of its start.
 */
export class ProxySpan {
  readonly spanId = crypto.randomUUID();
  readonly traceId: string;
  readonly #start = nowSeconds();
  #firstToken: number | null = null;
  #ended = false;
  #pendingStart: ReturnType<typeof setTimeout> | null = null;
  #lastProgress = 0;

  constructor(
    private readonly writer: Writer,
    private readonly call: SpanStart,
    private readonly runningRowDelayMs = 50,
    private readonly progress: ProgressSink | null = null,
  ) {
    this.traceId = call.tags.traceId ?? this.spanId;
  }

  /**
   * Shows the call on this replica's live feed at once (no database write),
   * then writes its running row if it lasts past `runningRowDelayMs`.
   */
  begin(): void {
    this.#publishProgress(() => null);
    if (this.runningRowDelayMs <= 0) return this.#write(this.#startFields());
    this.#pendingStart = setTimeout(() => {
      this.#pendingStart = null;
      this.#write(this.#startFields());
    }, this.runningRowDelayMs);
  }

  #startFields() {
    return { input: this.call.input, metadata: { ...this.call.metadata, provider: this.call.provider, model: this.call.model }, metrics: { start: this.#start }, status: "running" as const };
  }

  firstToken(): void {
    this.#firstToken ??= nowSeconds();
  }

  /** The answer so far, for the live feed: at most every PROGRESS_EVERY_MS, never stored. */
  partial(output: () => unknown): void {
    if (this.#ended || !this.progress) return;
    const now = performance.now();
    if (now - this.#lastProgress < PROGRESS_EVERY_MS) return;
    this.#lastProgress = now;
    this.#publishProgress(output);
  }

  /** The whole change is scrubbed: a key can be in the prompt, the metadata or the answer so far. */
  #publishProgress(output: () => unknown): void {
    this.progress?.(() => this.call.scrub(inFlightChange({ ...this.call, spanId: this.spanId, traceId: this.traceId, start: this.#start }, output())));
  }

  /** Ends the span; later calls are ignored, so every path may call it from its `finally`. */
  end(end: SpanEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    const finish = nowSeconds();
    const model = end.model ?? this.call.model;
    const usage = end.usage;
    // Never written its running row: this one row carries the start's fields too.
    const unstarted = this.#pendingStart !== null;
    if (this.#pendingStart) clearTimeout(this.#pendingStart);
    this.#pendingStart = null;
    const start = unstarted ? this.#startFields() : null;
    this.#write({
      ...(start && { input: start.input }),
      output: end.output,
      error: end.error ?? undefined,
      status: end.status,
      metadata: { ...start?.metadata, ...end.metadata, model, finish_reason: end.finishReason, http_status: end.httpStatus, request_id: end.requestId },
      metrics: {
        start: this.#start,
        end: finish,
        time_to_first_token: this.#firstToken === null ? null : this.#firstToken - this.#start,
        ...(usage && {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          tokens: usage.prompt + usage.completion,
          prompt_cached_tokens: usage.cachedRead ?? 0,
          // Priced by the writer, like every span (db/write/span-pricing.ts).
          prompt_cache_creation_tokens: usage.cacheWrite ?? 0,
        }),
      },
    });
  }

  /**
   * Every row is scrubbed whole, the way it will be stored: the call's key may be in the prompt, in
   * metadata (the body's `user`, an echoed request id), in the answer or in an upstream error.
   */
  #write(fields: Partial<SpanRowInput>): void {
    const tags = this.call.tags;
    const parent = tags.parentSpanId ?? (tags.traceId !== null ? tags.traceId : null);
    const row: SpanRowInput = this.call.scrub({
      id: this.spanId,
      span_id: this.spanId,
      root_span_id: this.traceId,
      span_parents: parent && parent !== this.spanId ? [parent] : [],
      span_attributes: { name: tags.name ?? this.call.name, type: "llm" },
      ...this.call.context,
      ...fields,
    });
    void this.writer.enqueue(this.call.scrub(tags.project), "proxy", [row], [], { background: true });
  }
}
