/**
 * Tells a row that the database will never take (bad data: SQLSTATE classes
 * 22 and 23, 54 for too-large values) from a fault worth retrying.
 */
export function isDataError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|23|54)/.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && !parts.includes(message)) parts.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(": ").slice(0, 500) || String(error);
}
