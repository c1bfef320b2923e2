import { type AttrBag, parseMaybeJson } from "./attr-bag.ts";
import type { AttrValue } from "./otlp-types.ts";

/** What a span's attributes say of its user, session, tags and metadata, as span row fields. */
export type ContextAttributes = { user_id?: string; session_id?: string; tags?: string[]; metadata: Record<string, unknown> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A list of tags as instrumentations send it: an array attribute, or JSON text of one. */
function tagList(value: AttrValue | undefined): string[] | undefined {
  const parsed = parseMaybeJson(value);
  if (Array.isArray(parsed)) return parsed.filter((t): t is string => typeof t === "string");
  return typeof parsed === "string" && parsed ? parsed.split(",").map((t) => t.trim()).filter(Boolean) : undefined;
}

/**
 * The conventions of each instrumentation: OpenInference (`session.id`, `user.id`, `tag.tags`,
 * `metadata` as JSON text), OpenTelemetry (`session.id`, `user.id`, `enduser.id`), Langfuse
 * (`langfuse.session.id`, `langfuse.user.id`, `langfuse.trace.tags`, `langfuse.trace.metadata.*`),
 * the Vercel AI SDK (`ai.telemetry.metadata.*`, whose userId, sessionId and tags the writer reads as
 * it reads any metadata, db/write/trace-context.ts) and Traceloop (`traceloop.association.properties.*`).
 * Metadata keys come out plain (`tenant`, not `ai.telemetry.metadata.tenant`), so `metadata.tenant=` finds them.
 */
export function contextAttributes(bag: AttrBag): ContextAttributes {
  const metadataJson = parseMaybeJson(bag.take("metadata"));
  const metadata: Record<string, unknown> = {
    ...(isObject(metadataJson) ? metadataJson : metadataJson !== undefined ? { metadata: metadataJson } : {}),
    ...bag.under("traceloop.association.properties"),
    ...bag.under("langfuse.trace.metadata"),
    ...bag.under("ai.telemetry.metadata"),
  };
  const fields: ContextAttributes = { metadata };
  const user = bag.text("user.id", "langfuse.user.id", "enduser.id");
  const session = bag.text("session.id", "langfuse.session.id");
  const tags = tagList(bag.take("tag.tags", "langfuse.trace.tags"));
  if (user) fields.user_id = user;
  if (session) fields.session_id = session;
  if (tags?.length) fields.tags = tags;
  return fields;
}
