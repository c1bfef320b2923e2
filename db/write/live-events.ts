import { and, asc, gt, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { liveEventCounter, liveEvents, spans } from "../schema.ts";

export const LIVE_CHANNEL = "kalmia_live";

export type LiveEventRow = { id: number; traceIds: string[]; spanIds: string[] };

/**
 * The last statement of the writing transaction: takes the next id from the
 * counter row (held until commit, so ids appear in order and without holes),
 * logs the change, and NOTIFYs its id — which goes out when, and only if, it commits.
 */
export function logLiveEvent(traceIds: string[], spanIds: string[]): SQL {
  return sql`
    with next as (update live_event_counter set last = last + 1 where id = 1 returning last),
      logged as (insert into live_events (id, trace_ids, span_ids)
        select last, ${JSON.stringify(traceIds)}::jsonb, ${JSON.stringify(spanIds)}::jsonb from next returning id)
    select pg_notify(${LIVE_CHANNEL}, id::text) from logged`;
}

export function liveEventsAfter(db: Db, afterId: number, limit: number): Promise<LiveEventRow[]> {
  return db
    .select({ id: liveEvents.id, traceIds: liveEvents.traceIds, spanIds: liveEvents.spanIds })
    .from(liveEvents)
    .where(gt(liveEvents.id, afterId))
    .orderBy(asc(liveEvents.id))
    .limit(limit);
}

export async function newestLiveEventId(db: Db): Promise<number> {
  const [row] = await db.select({ last: liveEventCounter.last }).from(liveEventCounter);
  return Number(row?.last ?? 0);
}

/**
 * The spans an event logged: a span id is only unique within its trace, so they are looked up
 * within the event's traces (a touched trace's other span of a logged id comes along, unchanged).
 */
export function spansByIds(db: Db, traceIds: string[], ids: string[]) {
  if (ids.length === 0 || traceIds.length === 0) return Promise.resolve([]);
  return db.select().from(spans).where(and(inArray(spans.traceId, traceIds), inArray(spans.id, ids)));
}

/** The log only bridges reconnects; minutes of it are plenty. */
export async function pruneLiveEvents(db: Db, olderThanMs: number): Promise<void> {
  await db.delete(liveEvents).where(lt(liveEvents.createdAt, new Date(Date.now() - olderThanMs)));
}
