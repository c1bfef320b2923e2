/** Splits rows into runs of at most `size`: one statement each, its rows sent as one parameter. */
export function chunked<T>(rows: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
