import type { Span } from "../api/types.ts";
import { byStart, spanStatus } from "./spans.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The failing spans of a trace, earliest first: what the header's "N errors" chip steps through. */
export function failingSpans(spans: Span[]): Span[] {
  return spans.filter((s) => spanStatus(s) === "error").sort(byStart);
}

/**
 * A span's error as one line: SDKs store a string, an {message, type} object or a provider's
 * error body ({error: {message}}); the proxy stores the upstream body.
 */
export function errorMessage(span: Span): string {
  return messageOf(span.error) ?? (spanStatus(span) === "error" ? "Failed (no error message captured)" : "");
}

function messageOf(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") return error;
  if (isObj(error)) {
    if (typeof error.message === "string") return error.message;
    const nested = messageOf(error.error);
    if (nested) return nested;
  }
  return JSON.stringify(error);
}

/** The HTTP status of a failed call: the proxy's metadata.http_status, or one inside the error. */
export function errorStatus(span: Span): number | null {
  const fromMeta = span.metadata?.http_status ?? span.metadata?.status_code;
  if (typeof fromMeta === "number" && fromMeta >= 400) return fromMeta;
  const error = span.error;
  if (isObj(error)) {
    for (const key of ["status", "status_code", "statusCode", "code"]) {
      const value = error[key];
      if (typeof value === "number" && value >= 400) return value;
    }
  }
  return null;
}
