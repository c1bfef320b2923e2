import { Elysia } from "elysia";
import { listUsers, USER_SORTS, type UserSort } from "../../db/query/users.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import { parsePageQuery, projectIdOf } from "../http/page-query.ts";
import { answers } from "../openapi/describe.ts";
import { UserList, UserListQuery } from "../openapi/context-schemas.ts";
import { ErrorBody } from "../openapi/schemas.ts";
import { parseTime } from "../traces/parse-list-query.ts";

/** GET /api/v1/users: per user, traces, tokens, cost and last seen, sortable by cost and last seen. */
export const userRoutes = (deps: AppDeps) =>
  new Elysia().get("/api/v1/users", async ({ request }) => {
    const parsed = parsePageQuery(new URL(request.url).searchParams, ["sort", "order", "since", "until"]);
    if (!parsed.ok) throw badRequest(`${parsed.path} ${parsed.message}`);
    const { project, limit, cursor, extra } = parsed.value;
    const sort = (extra.sort ?? "last_seen") as UserSort;
    if (!USER_SORTS.includes(sort)) throw badRequest(`sort must be one of ${USER_SORTS.join(", ")}, got "${extra.sort}"`);
    const order = extra.order ?? "desc";
    if (order !== "asc" && order !== "desc") throw badRequest(`order must be asc or desc, got "${order}"`);
    const window: { since?: Date; until?: Date } = {};
    for (const key of ["since", "until"] as const) {
      if (!extra[key]) continue;
      const time = parseTime(extra[key]);
      if (!time) throw badRequest(`${key} must be an ISO 8601 time or Unix seconds between the years 1 and 9999, got "${extra[key]}"`);
      window[key] = time;
    }
    // The cursor is the offset of the next page: users rank by figures that move as calls arrive.
    const offset = cursor === undefined ? 0 : Number(cursor);
    if (!/^\d{1,9}$/.test(cursor ?? "0")) throw badRequest("cursor is not a cursor this server issued");
    const projectId = await projectIdOf(deps, project);
    if (projectId === null) return { users: [], next_cursor: null };
    const page = await listUsers(deps.store.db, { projectId, ...window }, sort, order, limit, offset);
    return { users: page.users, next_cursor: page.nextOffset === null ? null : String(page.nextOffset) };
  }, {
    query: UserListQuery,
    detail: {
      summary: "List users",
      description: "Per user_id: traces, tokens, cost and last seen; sort by last_seen (default), cost_usd, trace_count or total_tokens.",
      tags: ["users"],
      responses: answers({ 200: ["a page of users", UserList], 400: ["a parameter that cannot be read, named", ErrorBody] }),
    },
  });
