/** What a proxied call says of its user, session and tags, as span row fields (db/write/trace-context.ts). */
export type CallContext = { user_id?: string; session_id?: string; tags?: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const header = (headers: Headers, name: string) => headers.get(name)?.trim() || undefined;
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

/**
 * The call's context: the `x-kalmia-user-id`, `x-kalmia-session-id` and `x-kalmia-tags` (comma-separated)
 * headers, else what the request body says: OpenAI's `user` and `metadata`, Anthropic's
 * `metadata.user_id`. The body is forwarded as the caller sent it; this only records. Bounds are the
 * writer's to apply (a call is never refused for its tags).
 */
export function readCallContext(headers: Headers, body: Record<string, unknown>): { context: CallContext; metadata: Record<string, unknown> } {
  const bodyMetadata = isObject(body.metadata) ? body.metadata : {};
  const tags = header(headers, "x-kalmia-tags")?.split(",").map((t) => t.trim()).filter(Boolean);
  const context: CallContext = {
    user_id: header(headers, "x-kalmia-user-id") ?? text(body.user) ?? text(bodyMetadata.user_id),
    session_id: header(headers, "x-kalmia-session-id") ?? text(bodyMetadata.session_id),
    ...(tags?.length ? { tags } : {}),
  };
  for (const key of ["user_id", "session_id"] as const) if (context[key] === undefined) delete context[key];
  return { context, metadata: bodyMetadata };
}
