import { calcPrice, type Provider } from "@pydantic/genai-prices";
import type { Pricing, PriceInputs } from "../../db/write/span-pricing.ts";
import { readLocalPrices, type LocalModel } from "./local-prices.ts";
import { familyOf } from "./model-family.ts";

/**
 * A linear price: USD per token of each kind, plus any per-call fee. Read off the library once per
 * model (pricing a call through it costs ~10 µs, a fifth of the writer's time a span).
 */
type Rates = { call: number; fresh: number; cacheRead: number; cacheWrite: number; output: number };

/** A model as matched once: where its price comes from (null: unpriced), its family, its rates if linear. */
type Match = { provider: Provider; modelId: string; family: string; rates: Rates | null } | { provider: null; family: string };

// Matching a model id against the library's hundreds of patterns costs ~0.1 ms; a batch repeats
// a handful of models thousands of times. Bounded: model ids come from clients.
const MAX_CACHED = 10_000;

/**
 * Prices from `@pydantic/genai-prices`'s bundled data (it never fetches: its auto-update runs
 * only when `updatePrices` is called, which Kalmia never does), with the models of a local file
 * (`KALMIA_PRICES`) added or overriding.
 *
 * @example createPricing().costOf({ provider: "anthropic", model: "claude-sonnet-4-20250514", prompt: 1000, completion: 100 }) // 0.0045
 */
export function createPricing(localFile?: string): Pricing {
  const local = localFile ? readLocalPrices(localFile) : new Map<string, LocalModel>();
  const cache = new Map<string, Match>();

  function localMatch(provider: string | null, model: string): LocalModel | null {
    const lower = model.toLowerCase();
    for (const key of [lower, familyOf(lower)]) {
      const found = local.get(key);
      if (found && (found.onlyFor === null || provider === null || found.onlyFor === provider)) return found;
    }
    return null;
  }

  function libraryMatch(provider: string | null, model: string): Match {
    const tries: [string, string | undefined][] = [[model, provider ?? undefined]];
    // `openai/gpt-4o` (routers) and a provider the library does not know (`my-azure`) still name a model it knows.
    const bare = model.replace(/^(?:[a-z0-9-]+\/)+/i, "");
    if (bare !== model) tries.push([bare, provider ?? undefined]);
    if (provider) tries.push([bare, undefined]);
    for (const [id, providerId] of tries) {
      const found = safeCalc({ input_tokens: 1, output_tokens: 1 }, id, providerId ? { providerId } : undefined);
      if (found) {
        // Narrowed to the one model, so pricing a call never matches again.
        const narrowed: Provider = { ...found.provider, models: [found.model] };
        return { provider: narrowed, modelId: id, family: familyOf(found.model.id), rates: ratesOf(narrowed, id) };
      }
    }
    return { provider: null, family: familyOf(model) };
  }

  function match(provider: string | null, model: string): Match {
    const key = `${provider ?? ""}\u0000${model}`;
    let found = cache.get(key);
    if (!found) {
      const own = localMatch(provider, model);
      found = own ? { provider: own.provider, modelId: own.modelId, family: own.family, rates: ratesOf(own.provider, own.modelId) } : libraryMatch(provider, model);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, found);
    }
    return found;
  }

  return {
    familyOf: (provider, model) => match(provider, model).family,
    costOf(inputs: PriceInputs) {
      if (!inputs.model || (inputs.prompt === null && inputs.completion === null)) return null;
      const found = match(inputs.provider, inputs.model);
      if (!found.provider) return null;
      const prompt = inputs.prompt ?? 0;
      // The library's input_tokens is the whole prompt, of which cache reads and writes are parts.
      const cacheRead = Math.min(inputs.cachedRead ?? 0, prompt);
      const cacheWrite = Math.min(inputs.cacheWrite ?? 0, prompt - cacheRead);
      const output = inputs.completion ?? 0;
      const r = found.rates;
      if (r) return r.call + (prompt - cacheRead - cacheWrite) * r.fresh + cacheRead * r.cacheRead + cacheWrite * r.cacheWrite + output * r.output;
      const usage = { input_tokens: prompt, output_tokens: output, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite };
      return safeCalc(usage, found.modelId, { provider: found.provider })?.total_price ?? null;
    },
  };
}

const PER_MILLION = 1_000_000;

/**
 * The per-token rates of a model whose price is one flat table (no tiers by prompt size, no prices
 * by date or time of day), probed through the library so they agree with it; null otherwise, and
 * each call is then priced by the library itself.
 */
function ratesOf(provider: Provider, modelId: string): Rates | null {
  const prices = provider.models[0]!.prices;
  if (Array.isArray(prices) || Object.values(prices).some((v) => typeof v !== "number" && v !== undefined)) return null;
  const price = (usage: Record<string, number>) => safeCalc(usage, modelId, { provider })?.total_price ?? null;
  const call = price({ input_tokens: 0, output_tokens: 0 });
  const fresh = price({ input_tokens: PER_MILLION, output_tokens: 0 });
  const cacheRead = price({ input_tokens: PER_MILLION, cache_read_tokens: PER_MILLION, output_tokens: 0 });
  const cacheWrite = price({ input_tokens: PER_MILLION, cache_write_tokens: PER_MILLION, output_tokens: 0 });
  const output = price({ input_tokens: 0, output_tokens: PER_MILLION });
  if (call === null || fresh === null || cacheRead === null || cacheWrite === null || output === null) return null;
  const rate = (total: number) => (total - call) / PER_MILLION;
  return { call, fresh: rate(fresh), cacheRead: rate(cacheRead), cacheWrite: rate(cacheWrite), output: rate(output) };
}

/** The library throws on prices it cannot apply (a model missing a parent price): unpriced, not a failed write. */
function safeCalc(...args: Parameters<typeof calcPrice>) {
  try {
    return calcPrice(...args);
  } catch {
    return null;
  }
}
