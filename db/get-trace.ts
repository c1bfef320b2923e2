import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { spans } from "./schema.ts";
import { tracesByIds } from "./list-traces.ts";
import { spanView, type SpanView, type TraceView } from "./views.ts";

export async function getTrace(db: Db, id: string): Promise<(TraceView & { spans: SpanView[] }) | null> {
  const [trace] = await tracesByIds(db, [id]);
  if (!trace) return null;
  const rows = await db
    .select()
    .from(spans)
    .where(eq(spans.traceId, id))
    .orderBy(sql`${spans.startTime} asc nulls first`, asc(spans.id));
  return { ...trace, spans: rows.map(spanView) };
}
