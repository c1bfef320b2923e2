/**
 * Where a score came from: the scores API, an SDK's feedback, the `scores` of ingested traces, spans
 * and span rows (an SDK's `span.log(scores=…)` included: they travel on its span rows), or the dashboard.
 */
export const SCORE_SOURCES = ["api", "sdk", "ingest", "ui"] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];

/** A score as the writer takes it (checked by server/scores/validate-score.ts). */
export type ScoreInput = {
  id: string;
  /** The project's name; without it the score goes to its trace's project, or `default` before the trace. */
  project?: string | null;
  trace_id: string;
  span_id?: string | null;
  name: string;
  value?: number | null;
  label?: string | null;
  comment?: string | null;
  source: ScoreSource;
  author?: string | null;
  metadata?: Record<string, unknown> | null;
};

/** Braintrust's `scores` on a trace or span row: a number per name. */
export type ScoreMap = Record<string, number | null>;

/**
 * The scores a row (or an ingested trace, `spanId` null) carries, with ids made from where they sit:
 * a row sent again (an SDK sends a span when it starts and when it ends) updates its scores, never
 * adds more.
 */
export function scoresOfRow(
  scores: ScoreMap | null | undefined,
  where: { traceId: string; spanId: string | null; project: string; source: ScoreSource },
): ScoreInput[] {
  if (!scores) return [];
  return Object.entries(scores).filter((e): e is [string, number] => typeof e[1] === "number").map(([name, value]) => ({
    id: `${where.traceId}\u001f${where.spanId ?? ""}\u001f${name}`,
    project: where.project,
    trace_id: where.traceId,
    span_id: where.spanId,
    name,
    value,
    source: where.source,
  }));
}
