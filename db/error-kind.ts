// SQLSTATE classes worth waiting out: connection (08), transaction rollback
// such as deadlock or serialization (40), resources (53), operator
// intervention such as a shutdown (57), system errors (58).
const TRANSIENT_CLASSES = /^(08|40|53|57|58)/;

/**
 * Tells a batch the database will never take as it is (bad data, or any
 * other SQL error) from a fault worth retrying: a lost connection, a server
 * going down, a deadlock. Errors without a SQLSTATE are network errors.
 */
export function isPermanentError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return !TRANSIENT_CLASSES.test(code);
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
