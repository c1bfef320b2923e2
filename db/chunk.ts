// Postgres caps one statement at 65,535 bind parameters; stay safely below.
const MAX_PARAMS = 60_000;

/** Splits rows so that each multi-row statement stays under the bind limit. */
export function chunkForParams<T extends object>(rows: T[]): T[][] {
  if (rows.length === 0) return [];
  const perRow = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
