/**
 * The wrapped clients' API keys, kept out of every row sent to Kalmia. A provider's error message can
 * carry the key verbatim (`401 Incorrect API key provided: sk-...`), and an app may put it in a prompt
 * or in metadata. `wrapOpenAI` / `wrapAnthropic` remember the client's key here; every row's JSON is
 * scrubbed of every key remembered, whichever span recorded it (an llm span, or a `traced` function
 * that logged the error).
 */
export const REDACTED = "[redacted]";

// Shorter values are too likely to be ordinary words to replace everywhere.
const MIN_KEY_LENGTH = 8;
// A JSON string literal: a match never crosses from one string into another, nor into a number.
const STRING_LITERAL = /"[^"\\]*(?:\\.[^"\\]*)*"/g;

/** Each key with the text it reads as inside a JSON string; longest first, so a key containing another goes whole. */
let known: { key: string; escaped: string }[] = [];

/** Reads the client's `apiKey` (and Anthropic's `authToken`) without ever throwing. */
export function rememberClientKeys(client: object): void {
  for (const name of ["apiKey", "authToken"]) {
    let value: unknown;
    try {
      value = Reflect.get(client, name);
    } catch {
      continue;
    }
    if (typeof value !== "string" || value.length < MIN_KEY_LENGTH || known.some((entry) => entry.key === value)) continue;
    known = [...known, { key: value, escaped: JSON.stringify(value).slice(1, -1) }].sort((a, b) => b.key.length - a.key.length);
  }
}

/** One row's JSON with every remembered key replaced by REDACTED, still valid JSON. */
export function scrubRowJson(row: string): string {
  if (known.length === 0 || !known.some((entry) => row.includes(entry.escaped))) return row;
  try {
    return row.replace(STRING_LITERAL, (literal) => {
      if (!known.some((entry) => literal.includes(entry.escaped))) return literal;
      // Decoded first: a key's text could otherwise match across an escape (`\n` + `key…`).
      let value = JSON.parse(literal) as string;
      for (const { key } of known) value = value.replaceAll(key, REDACTED);
      return JSON.stringify(value);
    });
  } catch {
    // The key must not go out; a row this breaks is refused by the server, and only that row.
    for (const { escaped } of known) row = row.replaceAll(escaped, REDACTED);
    return row;
  }
}
