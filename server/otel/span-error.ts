import { STATUS_ERROR, type OtlpSpan } from "./otlp-types.ts";

/**
 * A span's error: set only when its status is ERROR (an exception event alone
 * may have been handled), with the recorded exception's type, message and
 * stack when there is one.
 */
export function spanError(span: OtlpSpan): unknown {
  if (span.status.code !== STATUS_ERROR) return undefined;
  const exception = span.events.find((e) => e.name === "exception")?.attributes;
  if (!exception) return span.status.message || "span ended with status ERROR";
  const error: Record<string, unknown> = {
    message: exception["exception.message"] ?? span.status.message ?? "",
  };
  if (exception["exception.type"]) error.type = exception["exception.type"];
  if (exception["exception.stacktrace"]) error.stacktrace = exception["exception.stacktrace"];
  return error;
}
