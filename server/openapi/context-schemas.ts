import { t, type TSchema } from "elysia";

// The shapes of users, sessions, tags and metadata (issue 22, DESIGN.md): on traces and span rows,
// in the facets, and in the sessions and users views.

const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);

/** What a span row or an ingested trace may say of who, which conversation, which labels. */
export const ContextInput = {
  user_id: t.Optional(t.Union([t.String(), t.Number()], { description: "the end user (also read from metadata.user_id / userId)" })),
  session_id: t.Optional(t.Union([t.String(), t.Number()], { description: "the conversation (also metadata.session_id / sessionId / thread_id / conversation_id)" })),
  tags: t.Optional(t.Array(t.String(), { description: "labels: at most 100, each up to 200 characters (also metadata.tags)" })),
};

/** The same on a trace as listed. */
export const ContextOutput = {
  user_id: nullable(t.String()),
  session_id: nullable(t.String()),
  tags: t.Array(t.String()),
};

export const ContextListQuery = {
  user: t.Optional(t.String({ description: "the trace's user_id" })),
  session: t.Optional(t.String({ description: "the trace's session_id" })),
  tag: t.Optional(t.Union([t.String(), t.Array(t.String())], { description: "repeatable: every one must be on the trace" })),
  "metadata.KEY": t.Optional(t.String({ description: "metadata.KEY=VALUE, any key (nested keys by dots); numbers and booleans also match as JSON values" })),
};

const FacetValues = t.Array(t.Object({ value: t.String(), count: t.Integer() }));
export const FacetList = t.Object({
  providers: FacetValues,
  models: FacetValues,
  users: FacetValues,
  tags: FacetValues,
  metadata_keys: t.Array(t.Object({ value: t.String({ description: "a top-level metadata key" }), count: t.Integer() })),
});
export const FacetQuery = t.Object({
  project: t.Optional(t.String()),
  since: t.Optional(t.String({ description: "ISO 8601 time" })),
  until: t.Optional(t.String({ description: "ISO 8601 time" })),
});

export const Session = t.Object({
  id: t.String(),
  project: t.String(),
  user_id: nullable(t.String()),
  trace_count: t.Integer(),
  first_start: nullable(t.String({ format: "date-time" })),
  last_end: nullable(t.String({ format: "date-time" })),
  total_tokens: nullable(t.Integer()),
  cost_usd: nullable(t.Number()),
  errors: t.Integer({ description: "traces with a failed span" }),
});
export const SessionList = t.Object({ sessions: t.Array(Session), next_cursor: nullable(t.String()) });
export const SessionListQuery = t.Object({
  project: t.Optional(t.String()),
  user: t.Optional(t.String()),
  limit: t.Optional(t.String({ description: "default 50, max 500" })),
  cursor: t.Optional(t.String()),
});
export const SessionId = t.Object({ id: t.String({ description: "the session id" }) });
export const SessionQuery = t.Object({ project: t.Optional(t.String({ description: "the session's project (a session id is a project's)" })) });

export const User = t.Object({
  id: t.String(),
  trace_count: t.Integer(),
  total_tokens: nullable(t.Integer()),
  cost_usd: nullable(t.Number()),
  last_seen: nullable(t.String({ format: "date-time" })),
});
export const UserList = t.Object({ users: t.Array(User), next_cursor: nullable(t.String()) });
export const UserListQuery = t.Object({
  project: t.Optional(t.String()),
  since: t.Optional(t.String()),
  until: t.Optional(t.String()),
  sort: t.Optional(t.String({ description: "last_seen (default), cost_usd, trace_count, total_tokens" })),
  order: t.Optional(t.String({ description: "asc or desc (default)" })),
  limit: t.Optional(t.String({ description: "default 50, max 500" })),
  cursor: t.Optional(t.String()),
});
