import { sql, type SQL } from "drizzle-orm";
import type { Row } from "./batch-transaction.ts";
import type { SpanRecord } from "./span-record.ts";

/** What a call's price depends on, once a span's rows have merged. */
export type PriceInputs = {
  provider: string | null;
  model: string | null;
  prompt: number | null;
  completion: number | null;
  /** Prompt tokens read from a cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cachedRead: number | null;
  /** Prompt tokens written to a cache (Anthropic cache_creation_input_tokens). */
  cacheWrite: number | null;
};

/** The writer's price source (server/pricing/pricing.ts). */
export type Pricing = {
  /** USD, or null for a model without a price (unknown is not free) or a span without usage. */
  costOf(inputs: PriceInputs): number | null;
  familyOf(provider: string | null, model: string): string;
};

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const cacheWriteOf = (metrics: Record<string, unknown> | null) => num(metrics?.prompt_cache_creation_tokens);
const givenCostOf = (metrics: Record<string, unknown> | null) => num(metrics?.cost_usd);

/** Whether a row changes what its span's price depends on. */
function touchesPrice(r: SpanRecord): boolean {
  return r.model !== null || r.provider !== null || r.promptTokens !== null || r.completionTokens !== null ||
    r.cachedTokens !== null || cacheWriteOf(r.metrics) !== null || givenCostOf(r.metrics) !== null;
}

/** Whether a row alone says all its price depends on (a proxy's or an ingested call): no stored row is read. */
const selfContained = (r: SpanRecord) => r.model !== null && (r.promptTokens !== null || r.completionTokens !== null);

/** The spans of a batch whose price needs what their stored rows say (an SDK's start row, then its end row). */
export function spansToLookUp(records: SpanRecord[]): SpanRecord[] {
  return records.filter((r) => touchesPrice(r) && !selfContained(r));
}

/**
 * The stored price inputs of `records`' spans, read in the batch's first step: its traces are
 * locked by then, so what is read stays what is stored until the batch writes. The trace's creation
 * time first (offset 0 keeps each lateral apart), so that each span is looked up in its one day
 * partition, not in every one: a lookup of 100 spans takes under 1 ms.
 */
export function lookUpPriceInputs(records: SpanRecord[]): SQL {
  const keys = JSON.stringify(records.map((r) => ({ trace_id: r.traceId, id: r.id })));
  return sql`select k.trace_id, k.id, s.provider, s.model, s.prompt_tokens, s.completion_tokens, s.cached_tokens, s.cache_write, s.given_cost
    from jsonb_to_recordset(${keys}::jsonb) as k(trace_id text, id text)
    cross join lateral (select created_at from traces t where t.id = k.trace_id offset 0) t
    cross join lateral (
      select s.provider, s.model, s.prompt_tokens, s.completion_tokens, s.cached_tokens,
        s.metrics -> 'prompt_cache_creation_tokens' as cache_write, s.metrics -> 'cost_usd' as given_cost
      from spans s where s.trace_id = k.trace_id and s.id = k.id and s.trace_created_at = t.created_at offset 0
    ) s`;
}

const key = (traceId: unknown, id: unknown) => `${traceId}\u0000${id}`;

/**
 * Prices the batch's spans once their rows have merged, with what is stored (`stored`: the rows
 * of lookUpPriceInputs): every row that changes a span's model, provider or usage sets its cost
 * again, null when the merged span has no price; the upsert (db/write/span-upsert.ts) keeps the stored
 * cost for a row that changes none of them. A cost the rows give (`metrics.cost_usd`) wins.
 * Every span with a model gets its family.
 */
export function priceSpans(records: SpanRecord[], stored: Row[], pricing: Pricing | undefined): void {
  const before = new Map(stored.map((row) => [key(row.trace_id, row.id), row]));
  for (const r of records) {
    if (r.model !== null && pricing) r.modelFamily = pricing.familyOf(r.provider ?? (before.get(key(r.traceId, r.id))?.provider as string | null) ?? null, r.model);
    if (!touchesPrice(r)) continue;
    const s = before.get(key(r.traceId, r.id));
    const given = givenCostOf(r.metrics) ?? num(s?.given_cost);
    if (given !== null) {
      r.costUsd = given;
      continue;
    }
    const inputs: PriceInputs = {
      provider: r.provider ?? ((s?.provider as string | null) ?? null),
      model: r.model ?? ((s?.model as string | null) ?? null),
      prompt: r.promptTokens ?? num(s?.prompt_tokens),
      completion: r.completionTokens ?? num(s?.completion_tokens),
      cachedRead: r.cachedTokens ?? num(s?.cached_tokens),
      cacheWrite: cacheWriteOf(r.metrics) ?? num(s?.cache_write),
    };
    r.costUsd = pricing ? pricing.costOf(inputs) : null;
  }
}
