import { safeStringify } from "../util/safe-stringify.ts";

/**
 * Builds a row's JSON text from fields already encoded as JSON text. Values are encoded when they are
 * logged, so a row is assembled by concatenation and nothing the caller mutates later leaks in.
 */
export function encodeRow(fields: Map<string, string>): string {
  let text = "{";
  let first = true;
  for (const [key, json] of fields) {
    text += (first ? "" : ",") + JSON.stringify(key) + ":" + json;
    first = false;
  }
  return text + "}";
}

/** Encodes an object's own fields into `into`, one JSON text per key (for merge-by-key fields). */
export function encodeEntries(into: Map<string, string>, values: Record<string, unknown> | undefined): void {
  if (!values || typeof values !== "object") return;
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value === undefined) continue;
    into.set(key, safeStringify(value));
  }
}
