import { sql, type SQL } from "drizzle-orm";
import { traces } from "../schema.ts";

/**
 * A running trace that nothing has written to for this long is stale: the job that owned it has
 * most likely died, and it would otherwise say "running" forever. Not a stored status (the root
 * span's own status stays `running`, as DESIGN.md has it): a filter value, `status=stale`.
 */
export const STALE_AFTER_MS = 10 * 60_000;

/** The list filter's statuses: the root span's four, and `stale`, a kind of running. */
export const LIST_STATUSES = ["running", "stale", "ok", "error", "cancelled"] as const;

/** Running with no write since `now - STALE_AFTER_MS` (the cutoff bound, so the same SQL runs on both backends). */
export function staleCondition(now = new Date()): SQL {
  const cutoff = new Date(now.getTime() - STALE_AFTER_MS);
  return sql`(${traces.status} = 'running' and ${traces.updatedAt} < ${cutoff.toISOString()}::timestamptz)`;
}
