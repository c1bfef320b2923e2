import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { spans } from "../schema.ts";
import { tracesByIds } from "./list-traces.ts";
import { spanView, type SpanView, type TraceView } from "./views.ts";

/**
 * A trace with its spans, both read from one snapshot: read apart, a write committed in between
 * could show ended spans under a summary that still says running.
 */
export function getTrace(db: Db, id: string): Promise<(TraceView & { spans: SpanView[] }) | null> {
  return db.transaction(
    async (tx) => {
      const [trace] = await tracesByIds(tx as unknown as Db, [id]);
      if (!trace) return null;
      const rows = await tx
        .select()
        .from(spans)
        .where(eq(spans.traceId, id))
        .orderBy(sql`${spans.startTime} asc nulls first`, asc(spans.id));
      return { ...trace, spans: rows.map(spanView) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
