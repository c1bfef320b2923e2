/**
 * What the database can hold of a span row: the bounds every path checks before a row is taken
 * (the API refuses a row past them, server/spans/validate-span-row.ts; the writer clamps what the
 * proxy and OTLP record, db/write/clamp-write.ts), so the database never refuses what was answered 2xx.
 */
export const ROW_BOUNDS = Object.freeze({
  /** A token count of one span (its int columns). A trace's sums are bigint, exact past it. */
  tokens: 2 ** 31 - 1,
  /** Dollars of one span: far past any call, and a trace's sum stays finite. */
  costUsd: 1e9,
  /** Seconds to the first token. */
  timeToFirstToken: 86_400,
  /** Times as Unix seconds, 1970 to the end of 9999: what a timestamp and a JS Date both hold. */
  earliestTime: 0,
  latestTime: 253_402_300_799,
  /** Characters of an id (trace, span, experiment) and of a project's name. */
  idChars: 512,
  projectChars: 200,
  /**
   * UTF-8 bytes of one id: a span's key holds two ids (trace and span) in one index entry,
   * which Postgres caps at ~2,700 bytes.
   */
  idBytes: 1_024,
});

const COUNTS = ["prompt_tokens", "completion_tokens", "tokens", "prompt_cached_tokens", "prompt_cache_creation_tokens"];

/** Why a value of `metrics` cannot be stored, or null. Times are checked by the callers' own windows too. */
export function metricProblem(key: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (key === "start" || key === "end") {
    if (typeof value !== "number" || !Number.isFinite(value)) return "must be Unix seconds (a number)";
    if (value < ROW_BOUNDS.earliestTime || value > ROW_BOUNDS.latestTime) return `${value} is not a time in Unix seconds (1970 to 9999)`;
    return null;
  }
  const bound = COUNTS.includes(key) ? ROW_BOUNDS.tokens : key === "cost_usd" ? ROW_BOUNDS.costUsd : key === "time_to_first_token" ? ROW_BOUNDS.timeToFirstToken : null;
  if (bound === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return "must be a non-negative number";
  if (COUNTS.includes(key) && !Number.isInteger(value)) return "must be a whole number";
  if (value > bound) return `must be at most ${bound}`;
  return null;
}

/** Why a string cannot be an id or a name, or null: empty, too long, or not storable text. */
export function nameProblem(value: unknown, maxChars: number = ROW_BOUNDS.idChars): string | null {
  if (typeof value !== "string" || value.length === 0) return "must be a non-empty string";
  if (value.length > maxChars) return `is longer than ${maxChars} characters`;
  // At most 3 bytes a UTF-16 unit: only long ones can pass the byte bound.
  if (value.length * 3 > ROW_BOUNDS.idBytes && Buffer.byteLength(value, "utf8") > ROW_BOUNDS.idBytes) {
    return `is longer than ${ROW_BOUNDS.idBytes} bytes in UTF-8`;
  }
  if (value.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (!value.isWellFormed()) return "contains an unpaired UTF-16 surrogate (invalid Unicode)";
  return null;
}
