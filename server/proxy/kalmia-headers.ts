import { nameProblem, ROW_BOUNDS } from "../../db/write/row-bounds.ts";

/** What the caller told Kalmia about a call through `x-kalmia-*` and W3C `traceparent` headers. */
export type CallTags = {
  project: string;
  /** Join this existing trace instead of starting one. */
  traceId: string | null;
  parentSpanId: string | null;
  name: string | null;
  metadata: Record<string, unknown>;
};

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/i;

// The names and ids a call's headers give, with their bounds (db/write/row-bounds.ts).
const NAMED_HEADERS: [header: string, maxChars: number][] = [
  ["x-kalmia-project", ROW_BOUNDS.projectChars],
  ["x-kalmia-trace-id", ROW_BOUNDS.idChars],
  ["x-kalmia-parent-span-id", ROW_BOUNDS.idChars],
  ["x-kalmia-name", ROW_BOUNDS.idChars],
];

/**
 * What is wrong with the call's `x-kalmia-*` names and ids, or null: one the database could not
 * store (too long) must be refused before the call is forwarded, since its span could not be
 * recorded afterwards.
 */
export function kalmiaHeaderProblem(headers: Headers): string | null {
  for (const [header, maxChars] of NAMED_HEADERS) {
    const value = headers.get(header)?.trim();
    if (!value) continue;
    const problem = nameProblem(value, maxChars);
    if (problem) return `the ${header} header ${problem}`;
  }
  return null;
}

export function readKalmiaHeaders(headers: Headers): CallTags {
  const traceparent = TRACEPARENT.exec(headers.get("traceparent")?.trim() ?? "");
  const explicitTrace = headers.get("x-kalmia-trace-id")?.trim() || null;
  return {
    project: headers.get("x-kalmia-project")?.trim() || "default",
    traceId: explicitTrace ?? traceparent?.[1] ?? null,
    parentSpanId: headers.get("x-kalmia-parent-span-id")?.trim() || (explicitTrace ? null : (traceparent?.[2] ?? null)),
    name: headers.get("x-kalmia-name")?.trim() || null,
    metadata: readMetadata(headers.get("x-kalmia-metadata")),
  };
}

/**
 * Bad metadata never fails the call (tracing must not hurt the traced app); the span says what was wrong instead.
 */
function readMetadata(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {}
  return { kalmia_warning: "x-kalmia-metadata is not a JSON object; ignored" };
}
