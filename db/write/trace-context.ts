import { nameProblem, ROW_BOUNDS } from "./row-bounds.ts";

/** Who a trace is for, which conversation it belongs to, and its labels: first-class columns. */
export type TraceContext = { userId: string | null; sessionId: string | null; tags: string[] | null };

/** A row's own context fields, beside its metadata (span rows, ingested traces). */
export type ContextFields = { user_id?: unknown; session_id?: unknown; tags?: unknown; metadata?: unknown };

export const CONTEXT_BOUNDS = Object.freeze({
  /** Characters of a user or session id: what any id may hold. */
  idChars: ROW_BOUNDS.idChars,
  /** Characters of one tag, and tags on one trace: labels, not documents. */
  tagChars: 200,
  tags: 100,
});

// The names peers and users put these under in metadata (Langfuse's userId, LangSmith's thread_id...).
const USER_KEYS = ["user_id", "userId"];
const SESSION_KEYS = ["session_id", "sessionId", "thread_id", "conversation_id"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An id as text: a string, or a number written as JSON writes it (a user id 42 is "42"). */
function idText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function fromMetadata(metadata: unknown, keys: string[]): unknown {
  if (!isObject(metadata)) return undefined;
  for (const key of keys) if (metadata[key] !== undefined && metadata[key] !== null) return metadata[key];
  return undefined;
}

const given = (v: unknown) => v !== undefined && v !== null;

/** The raw values a row gives, its own fields first, then its metadata's. `at` says where each came from. */
function rawContext(row: ContextFields) {
  const pick = (field: "user_id" | "session_id" | "tags", keys: string[]) =>
    given(row[field]) ? { value: row[field], at: field } : given(fromMetadata(row.metadata, keys))
      ? { value: fromMetadata(row.metadata, keys), at: `metadata.${keys.find((k) => given((row.metadata as Record<string, unknown>)[k]))}` }
      : null;
  return { user: pick("user_id", USER_KEYS), session: pick("session_id", SESSION_KEYS), tags: pick("tags", ["tags"]) };
}

/**
 * What is wrong with a row's context, as a path and a message, or null. A row's own field must be
 * the right type (a user id a string or a number); a metadata key of another type is only metadata.
 * Either way, a value past its bounds is refused: it could be neither stored nor filtered on.
 */
export function contextProblem(row: ContextFields): { path: string; message: string } | null {
  const raw = rawContext(row);
  for (const id of [raw.user, raw.session]) {
    if (!id) continue;
    const own = !id.at.startsWith("metadata.");
    if (typeof id.value === "number" && Number.isFinite(id.value)) continue;
    if (typeof id.value !== "string") {
      if (own) return { path: id.at, message: "must be a string (or a number)" };
      continue;
    }
    if (!id.value.trim()) continue;
    const problem = nameProblem(id.value, CONTEXT_BOUNDS.idChars);
    if (problem) return { path: id.at, message: problem };
  }
  const tags = raw.tags;
  if (!tags) return null;
  if (!Array.isArray(tags.value)) return tags.at === "tags" ? { path: "tags", message: "must be an array of strings" } : null;
  if (tags.value.length > CONTEXT_BOUNDS.tags) return { path: tags.at, message: `has ${tags.value.length} tags; the limit is ${CONTEXT_BOUNDS.tags}` };
  for (let i = 0; i < tags.value.length; i++) {
    const tag = tags.value[i];
    if (typeof tag !== "string") return { path: `${tags.at}[${i}]`, message: "must be a string" };
    const problem = nameProblem(tag, CONTEXT_BOUNDS.tagChars);
    if (problem && tag.length > 0) return { path: `${tags.at}[${i}]`, message: problem };
  }
  return null;
}

const clampText = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s).replace(/\u0000/g, "").toWellFormed();

/**
 * The context of a row, read leniently: the API has refused what contextProblem finds, and what the
 * proxy and OTLP record (whose callers cannot fix a call) is cut to its bounds, never refused.
 */
export function readContext(row: ContextFields): TraceContext {
  const raw = rawContext(row);
  const id = (v: unknown) => {
    const text = idText(v);
    return text === null ? null : clampText(text, CONTEXT_BOUNDS.idChars) || null;
  };
  let tags: string[] | null = null;
  if (raw.tags && Array.isArray(raw.tags.value)) {
    const strings = raw.tags.value.filter((t): t is string => typeof t === "string" && t.trim() !== "");
    tags = [...new Set(strings.map((t) => clampText(t.trim(), CONTEXT_BOUNDS.tagChars)))].slice(0, CONTEXT_BOUNDS.tags);
    if (tags.length === 0) tags = null;
  }
  return { userId: id(raw.user?.value), sessionId: id(raw.session?.value), tags };
}
