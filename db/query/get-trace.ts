import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { spans } from "../schema.ts";
import { tracesByIds } from "./list-traces.ts";
import { spanView, type SpanView } from "./views.ts";
import { scoresOfTrace, type ScoreView } from "./scores.ts";
import type { ListedTrace } from "./list-traces.ts";

/**
 * A trace with its spans, both read from one snapshot: read apart, a write committed in between
 * could show ended spans under a summary that still says running.
 */
export function getTrace(db: Db, id: string): Promise<(Omit<ListedTrace, "scores"> & { spans: SpanView[]; scores: ScoreView[] }) | null> {
  return db.transaction(
    async (tx) => {
      const [trace] = await tracesByIds(tx as unknown as Db, [id]);
      if (!trace) return null;
      const rows = await tx
        .select()
        .from(spans)
        .where(eq(spans.traceId, id))
        .orderBy(sql`${spans.startTime} asc nulls first`, asc(spans.id));
      // `scores` here is every score (with its span id, source, author and comment), not the list's means.
      return { ...trace, spans: rows.map(spanView), scores: await scoresOfTrace(tx as unknown as Db, id) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
