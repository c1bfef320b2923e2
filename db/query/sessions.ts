import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { textArray } from "./context-filter.ts";
import { listTraces } from "./list-traces.ts";
import { rowsOf } from "./rows-of.ts";
import type { TraceView } from "./views.ts";

/** A session (DESIGN.md): the traces of one project that share a session id, summed. */
export type SessionSummary = {
  id: string;
  project: string;
  user_id: string | null;
  trace_count: number;
  first_start: string | null;
  last_end: string | null;
  total_tokens: number | null;
  cost_usd: number | null;
  errors: number;
};
/** Where a page ended: the last session's latest activity as the database prints it, its project and id. */
export type SessionKey = { activity: string; projectId: string; id: string };
export type SessionFilter = { projectId?: string; user?: string };

// A session's turns, at most: a conversation, not an export (that is /api/v1/traces/export's job).
export const MAX_SESSION_TRACES = 1_000;

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
// A session's latest activity: the start of its newest turn, so that the newest sessions are found by
// walking the traces' start-time index from the top (see recentSessions).
const activity = sql`max(t.start_time)`;
// Traces read per step of that walk; sessions of a few turns fill a page in one step.
const WALK_STEP = 1_000;

function summaries(db: Db, where: SQL[], having: SQL | null, limit: number) {
  return db.execute(sql`select t.session_id as id, t.project_id, p.name as project,
      (array_agg(t.user_id order by t.start_time) filter (where t.user_id is not null))[1] as user_id,
      count(*)::int as trace_count, ${iso(sql`min(t.start_time)`)} as first_start, ${iso(sql`max(t.end_time)`)} as last_end,
      sum(t.total_tokens) as total_tokens, sum(t.cost_usd) as cost_usd,
      count(*) filter (where t.status = 'error' or t.error_count > 0)::int as errors, ${activity}::text as activity
    from traces t join projects p on p.id = t.project_id
    where ${sql.join(where, sql` and `)}
    group by t.project_id, p.name, t.session_id
    ${having ? sql`having ${having}` : sql``}
    order by ${activity} desc, t.project_id desc, t.session_id desc
    limit ${limit}`);
}

type Row = Record<string, unknown> & { id: string; project_id: string; activity: string };

const toSummary = (r: Row): SessionSummary => ({
  id: r.id,
  project: r.project as string,
  user_id: (r.user_id as string | null) ?? null,
  trace_count: Number(r.trace_count),
  first_start: (r.first_start as string | null) ?? null,
  last_end: (r.last_end as string | null) ?? null,
  total_tokens: num(r.total_tokens),
  cost_usd: num(r.cost_usd),
  errors: Number(r.errors),
});

function conditions(filter: SessionFilter): SQL[] {
  const where = [sql`t.session_id is not null`];
  if (filter.projectId) where.push(sql`t.project_id = ${filter.projectId}`);
  if (filter.user) where.push(sql`t.user_id = ${filter.user}`);
  return where;
}

/**
 * One step down the traces, newest first from `below`: up to `want` sessions seen for the first time
 * (an index walk, not an aggregate over every trace of the project). A step that stops at `want`
 * says where, so the next one goes on from there.
 */
async function walkStep(db: Db, filter: SessionFilter, below: string | null, seen: Set<string>, want: number) {
  const rows = rowsOf<{ project_id: string; session_id: string; start: string }>(await db.execute(sql`
    select t.project_id, t.session_id, t.start_time::text as start from traces t
    where ${sql.join([...conditions(filter), ...(below ? [sql`t.start_time <= ${below}::timestamptz`] : [])], sql` and `)}
    order by t.start_time desc limit ${WALK_STEP}`));
  const fresh: [string, string][] = [];
  for (const r of rows) {
    const key = JSON.stringify([r.project_id, r.session_id]);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push([r.project_id, r.session_id]);
    if (fresh.length === want) return { fresh, below: r.start, done: false };
  }
  const last = rows.at(-1)?.start ?? null;
  // The end: fewer rows than asked, or a whole step at one instant (the walk could not move on).
  return { fresh, below: last, done: rows.length < WALK_STEP || last === below };
}

/** The summaries of these sessions: by `= any` of their ids (a list of (project, id) pairs plans 10× slower). */
async function summariesOf(db: Db, filter: SessionFilter, sessions: [string, string][], having: SQL | null): Promise<Row[]> {
  const ids = sql`t.session_id = any(${textArray(sessions.map(([, id]) => id))})`;
  const projects = [...new Set(sessions.map(([project]) => project))];
  const inProjects = filter.projectId ? [] : [sql`t.project_id = any(${textArray(projects)})`];
  const wanted = new Set(sessions.map((key) => JSON.stringify(key)));
  const rows = rowsOf<Row>(await summaries(db, [...conditions(filter), ids, ...inProjects], having, sessions.length * 2));
  // Another project's session of the same id, never met on the walk, is not this page's.
  return rows.filter((r) => wanted.has(JSON.stringify([r.project_id, r.id])));
}

/**
 * Sessions, newest activity first, a page at a time: the keyset is (activity, project, id). The
 * traces are walked newest first from the cursor down and each session met is summed whole; one
 * already paged past (its newest turn above the cursor) shows up through its older turns, and the
 * keyset on its summary drops it.
 */
export async function listSessions(db: Db, filter: SessionFilter, limit: number, after?: SessionKey) {
  const having = after ? sql`(${activity}, t.project_id, t.session_id) < (${after.activity}::timestamptz, ${after.projectId}, ${after.id})` : null;
  const seen = new Set<string>();
  const rows: Row[] = [];
  let below = after?.activity ?? null;
  for (;;) {
    const step = await walkStep(db, filter, below, seen, limit + 1 - rows.length);
    if (step.fresh.length) rows.push(...(await summariesOf(db, filter, step.fresh, having)));
    if (rows.length > limit || step.done) break;
    below = step.below;
  }
  rows.sort((a, b) => (a.activity < b.activity ? 1 : a.activity > b.activity ? -1 : 0));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    sessions: page.map(toSummary),
    next: rows.length > limit && last ? { activity: last.activity, projectId: last.project_id, id: last.id } : null,
  };
}

/** One session: its summary and its traces, oldest first (a conversation read top to bottom). */
export async function getSession(db: Db, id: string, projectId?: string): Promise<(SessionSummary & { traces: TraceView[] }) | null> {
  const where = [...conditions({ projectId }), sql`t.session_id = ${id}`];
  const [summary] = rowsOf<Row>(await summaries(db, where, null, 1));
  if (!summary) return null;
  const page = await listTraces(db, { projectId: projectId ?? summary.project_id, session: id }, MAX_SESSION_TRACES, { sort: "start_time", order: "asc" });
  return { ...toSummary(summary), traces: page.traces };
}
