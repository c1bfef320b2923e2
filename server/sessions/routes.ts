import { Elysia, t } from "elysia";
import { getSession, listSessions, type SessionKey } from "../../db/query/sessions.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { answers } from "../openapi/describe.ts";
import { ErrorBody, Trace } from "../openapi/schemas.ts";
import { Session, SessionId, SessionList, SessionListQuery, SessionQuery } from "../openapi/context-schemas.ts";
import { parsePageQuery, projectIdOf } from "../http/page-query.ts";

const encode = (key: SessionKey) => Buffer.from(JSON.stringify(key)).toString("base64url");

function decode(cursor: string): SessionKey | null {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString());
    const ok = key && [key.activity, key.projectId, key.id].every((v) => typeof v === "string" && !v.includes("\u0000"));
    return ok && !Number.isNaN(Date.parse(key.activity.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"))) ? key : null;
  } catch {
    return null;
  }
}

/** GET /api/v1/sessions (newest activity first, keyset-paged) and GET /api/v1/sessions/:id (its traces, oldest first). */
export const sessionViewRoutes = (deps: AppDeps) =>
  new Elysia()
    .get("/api/v1/sessions", async ({ request }) => {
      const params = new URL(request.url).searchParams;
      const parsed = parsePageQuery(params, ["user"]);
      if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
      const { project, limit, cursor, extra } = parsed.value;
      const after = cursor ? decode(cursor) : undefined;
      if (after === null) throw badRequest("cursor is not a cursor this server issued");
      const projectId = await projectIdOf(deps, project);
      if (projectId === null) return { sessions: [], next_cursor: null };
      const page = await listSessions(deps.store.db, { projectId, user: extra.user }, limit, after);
      return { sessions: page.sessions, next_cursor: page.next ? encode(page.next) : null };
    }, {
      query: SessionListQuery,
      detail: {
        summary: "List sessions",
        description: "The traces that share a session_id, one row each with their totals; newest activity first, keyset-paged by cursor.",
        tags: ["sessions"],
        responses: answers({ 200: ["a page of sessions", SessionList], 400: ["a parameter that cannot be read, named", ErrorBody] }),
      },
    })
    .get("/api/v1/sessions/:id", async ({ params, request }) => {
      const parsed = parsePageQuery(new URL(request.url).searchParams, []);
      if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
      const projectId = await projectIdOf(deps, parsed.value.project);
      const session = projectId === null ? null : await getSession(deps.store.db, params.id, projectId);
      if (!session) throw notFound(`no session with id ${params.id}`);
      return session;
    }, {
      params: SessionId,
      query: SessionQuery,
      detail: {
        summary: "One session with its traces",
        description: "The session's totals and its traces oldest first: the conversation turn after turn (at most 1,000).",
        tags: ["sessions"],
        responses: answers({
          200: ["the session", t.Composite([Session, t.Object({ traces: t.Array(Trace) })])],
          404: ["no session with that id", ErrorBody],
        }),
      },
    });
