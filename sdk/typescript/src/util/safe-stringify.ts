/**
 * JSON text for any value, never throwing: cycles become "[Circular]", bigints strings, and anything
 * that still cannot be encoded becomes null. Rows are encoded when recorded, so later mutation of the
 * caller's objects (an agent appending to its `messages` array) cannot rewrite what was sent.
 */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    try {
      return JSON.stringify(value, cycleSafeReplacer()) ?? "null";
    } catch {
      return "null";
    }
  }
}

function cycleSafeReplacer(): (key: string, value: unknown) => unknown {
  const ancestors: object[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object" || value === null) return value;
    // `this` is the object holding `value`; drop the ancestors we have climbed back out of.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    return value;
  };
}
