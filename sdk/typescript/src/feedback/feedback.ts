import { newSpanId } from "../util/ids.ts";
import { safeStringify } from "../util/safe-stringify.ts";
import { traceOfSpan } from "./trace-of-span.ts";

/** What `logger.logFeedback()` takes: scores (and a comment) on a span or trace recorded earlier. */
export interface FeedbackEvent {
  /** A span's id (`currentSpan().id`, kept when the answer was given); a root span's id scores its trace. */
  id: string;
  /** A number per name, e.g. `{ user_feedback: 0 }`. */
  scores?: Record<string, number>;
  comment?: string;
  metadata?: Record<string, unknown>;
  /** The span's trace, for a span this process did not record (or recorded long ago). */
  traceId?: string;
  /** Default `sdk`. */
  source?: "sdk" | "api" | "ui";
}

/**
 * The scores of a feedback event as `POST /api/v1/scores` items, JSON text each: one per score name,
 * the comment and metadata with each; a comment alone becomes a `comment` score (label "comment").
 * Each gets its id here, so a retried request updates, never duplicates.
 */
export function feedbackItems(event: FeedbackEvent, project: string): string[] {
  const traceId = event.traceId ?? traceOfSpan(event.id);
  const entries: [string, number | null][] = Object.entries(event.scores ?? {});
  if (entries.length === 0 && event.comment !== undefined) entries.push(["comment", null]);
  return entries.map(([name, value]) => {
    const item: Record<string, unknown> = { id: newSpanId(), project, trace_id: traceId, name, source: event.source ?? "sdk" };
    if (event.id !== traceId) item.span_id = event.id;
    if (value === null) item.label = "comment";
    else item.value = value;
    if (event.comment !== undefined) item.comment = event.comment;
    if (event.metadata) item.metadata = event.metadata;
    return safeStringify(item);
  });
}
