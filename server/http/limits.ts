/** Documented bounds on what the API reads (docs/API.md "Limits"). */
export const LIMITS = Object.freeze({
  /** Bytes of one request body for ingestion and span upload. */
  bodyBytes: 10 * 1024 * 1024,
  /** Deepest nesting of objects and arrays inside one body. */
  depth: 64,
  /** Traces in one ingest request, rows in one span upload. */
  items: 10_000,
  /** Characters of one string anywhere in a body (a prompt, an output). */
  stringChars: 1_000_000,
  // Ids, names and metrics: db/write/row-bounds.ts, which the writer checks too.
});
