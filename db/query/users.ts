import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { rowsOf } from "./rows-of.ts";

/** Per user (DESIGN.md): traces, tokens, cost and when last seen. */
export type UserSummary = { id: string; trace_count: number; total_tokens: number | null; cost_usd: number | null; last_seen: string | null };
export const USER_SORTS = ["last_seen", "cost_usd", "trace_count", "total_tokens"] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type UserFilter = { projectId?: string; since?: Date; until?: Date };

const SORT_SQL: Record<UserSort, SQL> = {
  last_seen: sql`max(coalesce(t.end_time, t.start_time))`,
  cost_usd: sql`sum(t.cost_usd)`,
  trace_count: sql`count(*)`,
  total_tokens: sql`sum(t.total_tokens)`,
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The users of a project's traces, a page at a time by offset: users are few next to traces, and a
 * ranking by cost changes as calls arrive, which no keyset would keep stable anyway.
 */
export async function listUsers(db: Db, filter: UserFilter, sort: UserSort, order: "asc" | "desc", limit: number, offset: number) {
  const where = [sql`t.user_id is not null`];
  if (filter.projectId) where.push(sql`t.project_id = ${filter.projectId}`);
  if (filter.since) where.push(sql`t.start_time >= ${filter.since.toISOString()}::timestamptz`);
  if (filter.until) where.push(sql`t.start_time <= ${filter.until.toISOString()}::timestamptz`);
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`select t.user_id as id, count(*)::int as trace_count,
      sum(t.total_tokens) as total_tokens, sum(t.cost_usd) as cost_usd,
      to_char(max(coalesce(t.end_time, t.start_time)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen
    from traces t where ${sql.join(where, sql` and `)}
    group by t.user_id
    order by ${SORT_SQL[sort]} ${sql.raw(order)} nulls last, t.user_id ${sql.raw(order)}
    limit ${limit + 1} offset ${offset}`));
  const users: UserSummary[] = rows.slice(0, limit).map((r) => ({
    id: r.id as string,
    trace_count: Number(r.trace_count),
    total_tokens: num(r.total_tokens),
    cost_usd: num(r.cost_usd),
    last_seen: (r.last_seen as string | null) ?? null,
  }));
  return { users, nextOffset: rows.length > limit ? offset + limit : null };
}
