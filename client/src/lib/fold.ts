/**
 * Long captured values are cut before they reach the DOM: a 216 KB answer or a 300 KB base64
 * string would otherwise be laid out whole. The cut keeps whole lines where it can.
 */
export const FOLD_LINES = 30;
export const FOLD_CHARS = 2048;

export type Folded = { preview: string; hiddenLines: number; hiddenChars: number };

/** The first FOLD_LINES lines, at most FOLD_CHARS characters; null when the text fits as it is. */
export function foldText(text: string, lines = FOLD_LINES, chars = FOLD_CHARS): Folded | null {
  let end = -1;
  for (let i = 0; i < lines; i++) {
    end = text.indexOf("\n", end + 1);
    if (end === -1 || end > chars) break;
  }
  const fitsLines = end === -1;
  if (fitsLines && text.length <= chars) return null;
  const cut = fitsLines || end > chars ? chars : end;
  const preview = text.slice(0, cut);
  return { preview, hiddenLines: countLines(text, cut), hiddenChars: text.length - cut };
}

function countLines(text: string, from: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** "12 more lines · 214 KB" for the show-all button. */
export function hiddenLabel(folded: Folded): string {
  const size = folded.hiddenChars >= 1024 ? `${(folded.hiddenChars / 1024).toFixed(folded.hiddenChars >= 10240 ? 0 : 1)} KB` : `${folded.hiddenChars} chars`;
  return folded.hiddenLines > 0 ? `${folded.hiddenLines} more lines · ${size}` : size;
}
