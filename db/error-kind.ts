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

/** What is kept of an error where others can read it (/api/health, the log): never the driver's text. */
export type ErrorClass = { sqlstate: string | null; reason: string };

// The SQLSTATE classes' own names (PostgreSQL, Appendix A).
const CLASS_REASONS: Record<string, string> = {
  "08": "connection failure",
  "22": "data exception",
  "23": "integrity constraint violation",
  "40": "transaction rollback",
  "42": "syntax error or access rule violation",
  "53": "insufficient resources",
  "54": "program limit exceeded",
  "57": "operator intervention",
  "58": "system error",
  XX: "internal error",
};

/**
 * The SQLSTATE and a short reason of fixed words. A driver's message can carry the SQL, its bound
 * values, the database's host and user: none of it is kept. Errors without a SQLSTATE are named by
 * their system code (ECONNREFUSED, postgres.js's CONNECTION_CLOSED) or their class (RangeError).
 */
export function classifyError(error: unknown): ErrorClass {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code)) {
      return { sqlstate: code, reason: CLASS_REASONS[code.slice(0, 2)] ?? "database error" };
    }
    if (typeof code === "string" && /^[A-Z][A-Z_]{2,39}$/.test(code)) return { sqlstate: null, reason: `connection failure (${code})` };
    e = (e as { cause?: unknown }).cause;
  }
  const name = (error as { name?: unknown })?.name;
  return { sqlstate: null, reason: typeof name === "string" && /^\w{1,40}$/.test(name) ? name : "error" };
}

export const formatErrorClass = (e: ErrorClass) => (e.sqlstate ? `SQLSTATE ${e.sqlstate}, ${e.reason}` : e.reason);
