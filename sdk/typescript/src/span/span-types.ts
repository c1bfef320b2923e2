import type { TraceContext } from "./trace-context.ts";

/** The kinds of span the dashboard knows; `tool` spans are the green ones. */
export type SpanType = "llm" | "tool" | "task" | "function";

export type SpanStatus = "ok" | "error" | "cancelled";

/** What `span.log()` accepts; every field is optional and later values win. */
export interface SpanLogEvent extends TraceContext {
  input?: unknown;
  output?: unknown;
  /** Merged key by key into what the span already has. */
  metadata?: Record<string, unknown>;
  /** Numbers such as `prompt_tokens`; merged key by key. */
  metrics?: Record<string, number | null | undefined>;
  /** An `Error`, a string or any JSON value; a span with an error has status `error`. */
  error?: unknown;
  /** Scores of the span (Braintrust's `scores`), a number per name, e.g. `{ relevance: 0.8 }`; merged key by key. */
  scores?: Record<string, number | null | undefined>;
}

export interface SpanEndEvent extends SpanLogEvent {
  status?: SpanStatus;
}

/** One unit of work in a trace: an LLM call, a tool call, an agent run. */
export interface Span {
  /** The span's id (also its row id). */
  readonly id: string;
  /** The trace this span belongs to: its root span's id. */
  readonly rootSpanId: string;
  /** Parent span ids, nearest first; empty for a root. */
  readonly parentIds: readonly string[];
  readonly name: string;
  readonly type: SpanType;
  readonly ended: boolean;
  /** Records input, output, metadata, metrics or an error; sent when the span ends (or at once if it has). */
  log(event: SpanLogEvent): void;
  /** Ends the span (only the first call counts) and sends what it recorded. */
  end(event?: SpanEndEvent): void;
}

/** Where a span's rows go: the background sender of the current logger, or nowhere. */
export interface RowSink {
  enqueue(rowJson: string): void;
}
