import { safeStringify } from "../util/safe-stringify.ts";

/** Encodes an object's defined fields into `into`, as JSON text per key (for fields merged key by key). */
export function encodeEntries(into: Record<string, string>, values: Record<string, unknown>): void {
  for (const key in values) {
    const value = values[key];
    if (value !== undefined) into[key] = safeStringify(value);
  }
}

/** `{"key":json,…}` from JSON text per key; "" when there are none. */
export function encodeObject(entries: Record<string, string>): string {
  let text = "";
  for (const key in entries) text += `${text ? "," : "{"}${JSON.stringify(key)}:${entries[key]}`;
  return text ? text + "}" : "";
}
