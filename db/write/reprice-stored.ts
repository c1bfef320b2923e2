import { sql, type SQL } from "drizzle-orm";
import { rollupUpsert, storedFigures } from "./rollups.ts";
import type { Database } from "../connect/open.ts";
import type { Pricing } from "./span-pricing.ts";

// Spans a transaction: small enough that the writer, which takes the same trace locks, never
// waits long behind it.
const CHUNK = 1_000;

type Unset = { trace_id: string; id: string; trace_created_at: string; provider: string | null; model: string;
  prompt_tokens: number | null; completion_tokens: number | null; cached_tokens: number | null; cache_write: unknown; given_cost: unknown };

/**
 * `update`, an UPDATE of traces aliased `t`, with the overview's rollups (db/write/rollups.ts) moved from
 * what the traces were to what it makes them, in the same statement (its parts see the rows as before).
 */
const withRollups = (update: SQL) => sql`
  with o as (select t.created_at as o_created_at, ${storedFigures("t")}, t.id as o_id from traces t),
  u as (${update} returning t.id, t.created_at, t.project_id, t.start_time, t.model_family, t.provider, t.status,
    t.duration_ms, t.ttft_ms, t.prompt_tokens, t.completion_tokens, t.cost_usd),
  n as (select u.*, o.* from u join o on o.o_id = u.id and o.o_created_at = u.created_at)
  ${rollupUpsert(sql`n`, sql`trace_rollups`)}`;

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * The one-off backfill of rows stored before spans were priced as merged (migration 0003 added
 * `model_family`, null on every old row): each span with a model gets its family and is priced
 * again from what it stores (a cost its rows gave, `metrics.cost_usd`, stays), and its trace's
 * cost and family are summed again. A span whose family is set is done, so the backfill resumes
 * where a stop left it and does nothing once done (the partial indexes `*_family_unset` find
 * what is left without a scan). Safe beside writers and other replicas: each chunk takes its
 * traces' locks, as the writer does (db/write/write-batch.ts). Stops between chunks once `stopped`.
 * Returns the number of spans re-priced.
 */
export async function repriceStored(database: Database, pricingSource: Pricing | (() => Promise<Pricing>), stopped = () => false): Promise<number> {
  let done = 0;
  // Loaded only once there is something to price: a server whose rows are all priced (every start
  // after the first) never loads the price data for this.
  let loaded: Pricing | null = typeof pricingSource === "function" ? null : pricingSource;
  const pricingNow = async () => (loaded ??= await (pricingSource as () => Promise<Pricing>)());
  while (!stopped()) {
    const unset = await database.rows<Unset>(sql`select trace_id, id, to_jsonb(trace_created_at) #>> '{}' as trace_created_at,
        provider, model, prompt_tokens, completion_tokens, cached_tokens,
        metrics -> 'prompt_cache_creation_tokens' as cache_write, metrics -> 'cost_usd' as given_cost
      from spans where model is not null and model_family is null limit ${CHUNK}`);
    if (unset.length === 0) break;
    const pricing = await pricingNow();
    const priced = unset.map((s) => ({
      trace_id: s.trace_id,
      id: s.id,
      trace_created_at: s.trace_created_at,
      model_family: pricing.familyOf(s.provider, s.model),
      cost_usd: num(s.given_cost) ?? pricing.costOf({
        provider: s.provider, model: s.model, prompt: num(s.prompt_tokens), completion: num(s.completion_tokens),
        cachedRead: num(s.cached_tokens), cacheWrite: num(s.cache_write),
      }),
    }));
    await database.db.transaction(async (tx) => {
      const json = JSON.stringify(priced);
      const traceIds = JSON.stringify([...new Set(priced.map((p) => p.trace_id))].sort());
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(id, 0)) from jsonb_array_elements_text(${traceIds}::jsonb) as e(id)`);
      await tx.execute(sql`update spans s set model_family = r.model_family, cost_usd = r.cost_usd
        from jsonb_to_recordset(${json}::jsonb) as r(trace_id text, id text, trace_created_at timestamptz, model_family text, cost_usd float8)
        where s.trace_id = r.trace_id and s.id = r.id and s.trace_created_at = r.trace_created_at`);
      // The same figures the writer's summary takes (db/write/trace-summary.ts), from the spans as they now are.
      await tx.execute(withRollups(sql`update traces t set cost_usd = x.cost_usd, model_family = coalesce(x.model_family, t.model_family)
        from (
          select sp.trace_id, sp.trace_created_at, sum(sp.cost_usd) as cost_usd,
            (array_agg(sp.model_family order by sp.start_time nulls last) filter (where sp.model is not null))[1] as model_family
          from spans sp
          join (select distinct trace_id, trace_created_at from jsonb_to_recordset(${json}::jsonb) as r(trace_id text, trace_created_at timestamptz)) k
            on sp.trace_id = k.trace_id and sp.trace_created_at = k.trace_created_at
          group by sp.trace_id, sp.trace_created_at
        ) x
        where t.id = x.trace_id and t.created_at = x.trace_created_at`));
    });
    done += unset.length;
  }
  // Traces whose model came from their own metadata (ingested without spans with a model).
  while (!stopped()) {
    const unset = await database.rows<{ id: string; created_at: string; provider: string | null; model: string }>(
      sql`select id, to_jsonb(created_at) #>> '{}' as created_at, provider, model from traces
        where model is not null and model_family is null limit ${CHUNK}`,
    );
    if (unset.length === 0) break;
    const pricing = await pricingNow();
    const json = JSON.stringify(unset.map((t) => ({ id: t.id, created_at: t.created_at, model_family: pricing.familyOf(t.provider, t.model) })));
    await database.db.execute(withRollups(sql`update traces t set model_family = r.model_family
      from jsonb_to_recordset(${json}::jsonb) as r(id text, created_at timestamptz, model_family text)
      where t.id = r.id and t.created_at = r.created_at and t.model_family is null`));
  }
  return done;
}
