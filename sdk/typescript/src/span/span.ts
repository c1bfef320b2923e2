import { nowSeconds } from "../util/clock.ts";
import { describeError } from "../util/describe-error.ts";
import { newSpanId } from "../util/ids.ts";
import { safeStringify } from "../util/safe-stringify.ts";
import { encodeEntries, encodeRow } from "./encode-row.ts";
import type { RowSink, Span, SpanEndEvent, SpanLogEvent, SpanType } from "./span-types.ts";

export interface SpanStart {
  name: string;
  type: SpanType;
  parent?: Span | undefined;
  input?: unknown;
  metadata?: Record<string, unknown>;
}

/**
 * A span that sends itself as two rows in the docs/SPANS.md format: one when it starts (name, input,
 * `metrics.start`) and one when it ends (output, error, usage, `metrics.end`); the server merges them
 * by id. Everything is encoded as it is recorded; nothing here does I/O.
 */
export class RecordingSpan implements Span {
  readonly id = newSpanId();
  readonly rootSpanId: string;
  readonly parentIds: readonly string[];
  readonly name: string;
  readonly type: SpanType;
  /** Unix seconds at start; time to first token is measured from here. */
  readonly startTime = nowSeconds();
  #ended = false;
  #hasOutput = false;
  #fields = new Map<string, string>();
  #metadata = new Map<string, string>();
  #metrics = new Map<string, string>();

  readonly #sink: RowSink;

  constructor(start: SpanStart, sink: RowSink) {
    this.#sink = sink;
    this.name = start.name;
    this.type = start.type;
    this.rootSpanId = start.parent ? start.parent.rootSpanId : this.id;
    this.parentIds = start.parent ? [start.parent.id] : [];
    const row = this.#identity();
    row.set("span_attributes", JSON.stringify({ name: this.name, type: this.type }));
    if (start.input !== undefined) row.set("input", safeStringify(start.input));
    const metadata = new Map<string, string>();
    encodeEntries(metadata, start.metadata);
    if (metadata.size > 0) row.set("metadata", encodeRow(metadata));
    row.set("metrics", `{"start":${this.startTime}}`);
    this.#sink.enqueue(encodeRow(row));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether an output was logged, so a traced function's return value does not overwrite it. */
  get hasOutput(): boolean {
    return this.#hasOutput;
  }

  log(event: SpanLogEvent): void {
    this.#record(event);
    // After the end, a log is a late correction: send it at once, the server merges it by id.
    if (this.#ended) this.#send();
  }

  end(event?: SpanEndEvent): void {
    if (this.#ended) return;
    this.#ended = true;
    if (event) {
      this.#record(event);
      if (event.status) this.#fields.set("status", JSON.stringify(event.status));
    }
    this.#metrics.set("end", String(nowSeconds()));
    this.#send();
  }

  #record(event: SpanLogEvent): void {
    if (!event || typeof event !== "object") return;
    if (event.input !== undefined) this.#fields.set("input", safeStringify(event.input));
    if (event.output !== undefined) {
      this.#fields.set("output", safeStringify(event.output));
      this.#hasOutput = true;
    }
    if (event.error !== undefined && event.error !== null) this.#fields.set("error", encodeError(event.error));
    encodeEntries(this.#metadata, event.metadata);
    encodeEntries(this.#metrics, event.metrics as Record<string, unknown> | undefined);
  }

  #identity(): Map<string, string> {
    const row = new Map<string, string>();
    const id = JSON.stringify(this.id);
    row.set("id", id);
    row.set("span_id", id);
    row.set("root_span_id", JSON.stringify(this.rootSpanId));
    row.set("span_parents", JSON.stringify(this.parentIds));
    return row;
  }

  #send(): void {
    const row = this.#identity();
    for (const [key, json] of this.#fields) row.set(key, json);
    if (this.#metadata.size > 0) row.set("metadata", encodeRow(this.#metadata));
    if (this.#metrics.size > 0) row.set("metrics", encodeRow(this.#metrics));
    this.#fields.clear();
    this.#metadata.clear();
    this.#metrics.clear();
    this.#sink.enqueue(encodeRow(row));
  }
}

function encodeError(error: unknown): string {
  if (typeof error === "string") return JSON.stringify(error);
  if (error instanceof Error) return JSON.stringify(describeError(error));
  return safeStringify(error);
}
