/** The rows of a raw `db.execute`: postgres.js answers an array of rows, PGlite `{ rows }`. */
export function rowsOf<T>(answer: unknown): T[] {
  return (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as T[];
}
