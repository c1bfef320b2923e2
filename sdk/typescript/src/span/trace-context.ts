/** Who a trace is for, its conversation and its labels, as span rows carry them (`user_id`, `session_id`, `tags`). */
export interface TraceContext {
  /** The end user; a number is sent as its text. */
  userId?: string | number;
  /** The conversation or thread the trace is a turn of. */
  sessionId?: string | number;
  /** Labels such as a release or an experiment. */
  tags?: string[];
}

// The server refuses a row past these bounds, which would lose the span: cut here instead.
const ID_CHARS = 512;
const TAG_CHARS = 200;
const TAGS = 100;

function idText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() ? value.slice(0, ID_CHARS) : undefined;
}

/**
 * The row fields for what `context` gives, each only when usable, as `,"key":json` text to append to
 * every row. Never throws: a tag that is not text is left out.
 */
export function contextFields(context: TraceContext | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!context || typeof context !== "object") return fields;
  try {
    const user = idText(context.userId);
    const session = idText(context.sessionId);
    if (user !== undefined) fields.user_id = JSON.stringify(user);
    if (session !== undefined) fields.session_id = JSON.stringify(session);
    if (Array.isArray(context.tags)) {
      const tags = [...new Set(context.tags.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.slice(0, TAG_CHARS)))];
      fields.tags = JSON.stringify(tags.slice(0, TAGS));
    }
  } catch {}
  return fields;
}

export const encodeContext = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `,"${k}":${v}`).join("");
