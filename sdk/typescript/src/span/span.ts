import { nowSeconds } from "../util/clock.ts";
import { describeError } from "../util/describe-error.ts";
import { newSpanId } from "../util/ids.ts";
import { safeStringify } from "../util/safe-stringify.ts";
import { scrubRowJson } from "./client-keys.ts";
import { encodeEntries, encodeObject } from "./encode-row.ts";
import { rememberTrace } from "../feedback/trace-of-span.ts";
import { contextFields, encodeContext, type TraceContext } from "./trace-context.ts";
import type { RowSink, Span, SpanEndEvent, SpanLogEvent, SpanType } from "./span-types.ts";

export interface SpanStart {
  name: string;
  type: SpanType;
  parent?: Span | undefined;
  input?: unknown;
  metadata?: Record<string, unknown>;
  /** The trace's user, session and tags; a child carries its parent's under its own. */
  context?: TraceContext;
}

/**
 * A span that sends itself as two rows in the docs/SPANS.md format: one when it starts (name, input,
 * `metrics.start`) and one when it ends (output, error, usage, `metrics.end`); the server merges them
 * by id. Values are encoded to JSON text as they are recorded, so nothing the caller mutates later leaks
 * in, and rows are assembled by concatenation: this runs on the caller's path. Nothing here does I/O.
 * Each row is scrubbed of the wrapped clients' keys as it leaves (client-keys.ts).
 */
export class RecordingSpan implements Span {
  readonly id = newSpanId();
  readonly rootSpanId: string;
  readonly parentIds: readonly string[];
  readonly name: string;
  readonly type: SpanType;
  /** Unix seconds at start; time to first token is measured from here. */
  readonly startTime = nowSeconds();
  readonly #sink: RowSink;
  /** `{"id":…,"span_id":…,"root_span_id":…,"span_parents":[…]` — every row starts with it. */
  readonly #identity: string;
  #ended = false;
  #hasOutput = false;
  /** Pending top-level fields as `,"key":json` text, and merge-by-key fields as JSON text per key. */
  #fields: Record<string, string> = {};
  #metadata: Record<string, string> = {};
  #metrics: Record<string, string> = {};
  #scores: Record<string, string> = {};
  /** The trace's user, session and tags as row fields (JSON text by key), on every row. */
  readonly traceContext: Record<string, string>;

  constructor(start: SpanStart, sink: RowSink) {
    this.#sink = sink;
    this.name = start.name;
    this.type = start.type;
    this.rootSpanId = start.parent ? start.parent.rootSpanId : this.id;
    this.parentIds = start.parent ? [start.parent.id] : [];
    if (start.parent) rememberTrace(this.id, this.rootSpanId);
    const id = `"${this.id}"`;
    this.#identity = `{"id":${id},"span_id":${id},"root_span_id":"${this.rootSpanId}","span_parents":${this.parentIds.length ? `["${this.parentIds[0]}"]` : "[]"}`;
    const inherited = start.parent instanceof RecordingSpan ? start.parent.traceContext : {};
    this.traceContext = { ...inherited, ...contextFields(start.context) };
    let row = `${this.#identity}${encodeContext(this.traceContext)},"span_attributes":{"name":${JSON.stringify(this.name)},"type":"${this.type}"}`;
    if (start.input !== undefined) row += `,"input":${safeStringify(start.input)}`;
    if (start.metadata) row += `,"metadata":${safeStringify(start.metadata)}`;
    this.#sink.enqueue(scrubRowJson(`${row},"metrics":{"start":${this.startTime}}}`));
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
      if (event.status) this.#fields.status = `"${event.status}"`;
    }
    this.#metrics.end = String(nowSeconds());
    this.#send();
  }

  #record(event: SpanLogEvent): void {
    if (!event || typeof event !== "object") return;
    if (event.input !== undefined) this.#fields.input = safeStringify(event.input);
    if (event.output !== undefined) {
      this.#fields.output = safeStringify(event.output);
      this.#hasOutput = true;
    }
    if (event.error !== undefined && event.error !== null) this.#fields.error = encodeError(event.error);
    if (event.metadata) encodeEntries(this.#metadata, event.metadata);
    if (event.metrics) encodeEntries(this.#metrics, event.metrics);
    if (event.scores) encodeEntries(this.#scores, finiteScores(event.scores));
    Object.assign(this.traceContext, contextFields(event));
  }

  #send(): void {
    let row = this.#identity + encodeContext(this.traceContext);
    for (const key in this.#fields) row += `,"${key}":${this.#fields[key]}`;
    const metadata = encodeObject(this.#metadata);
    if (metadata) row += `,"metadata":${metadata}`;
    const metrics = encodeObject(this.#metrics);
    if (metrics) row += `,"metrics":${metrics}`;
    const scores = encodeObject(this.#scores);
    if (scores) row += `,"scores":${scores}`;
    this.#fields = {};
    this.#metadata = {};
    this.#metrics = {};
    this.#scores = {};
    this.#sink.enqueue(scrubRowJson(row + "}"));
  }
}

/** Scores as the server takes them: finite numbers (booleans as 1 and 0), or null for "not scored". */
function finiteScores(scores: Record<string, unknown>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key in scores) {
    const value = scores[key];
    if (value === null || (typeof value === "number" && Number.isFinite(value))) out[key] = value;
    else if (typeof value === "boolean") out[key] = value ? 1 : 0;
  }
  return out;
}

function encodeError(error: unknown): string {
  if (typeof error === "string") return JSON.stringify(error);
  if (error instanceof Error) return JSON.stringify(describeError(error));
  return safeStringify(error);
}
