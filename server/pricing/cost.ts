import prices from "./prices.json" with { type: "json" };

/** Token counts as the proxy and SDKs record them; `prompt` includes the cached share. */
export type TokenUsage = {
  prompt: number;
  completion: number;
  /** Prompt tokens read from a cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cachedRead?: number;
  /** Prompt tokens written to a cache (Anthropic cache_creation_input_tokens). */
  cacheWrite?: number;
};

type Price = { input: number; output: number; cached_input?: number; cache_read?: number; cache_write?: number };
const TABLE = prices as unknown as Record<string, Record<string, Price> | unknown>;
const PER_TOKEN = 1 / 1_000_000;

/** Looks a model up the way providers name snapshots: `gpt-4o-2024-08-06` → `gpt-4o`. */
export function priceOf(provider: string | null, model: string): Price | null {
  const table = provider ? (TABLE[provider] as Record<string, Price> | undefined) : undefined;
  if (!table || typeof table !== "object") return null;
  const bare = model.replace(/^(openai|anthropic)\//, "");
  return table[bare] ?? table[bare.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, "")] ?? null;
}

/**
 * Cost in USD of one call; null for a model missing from the table (unknown is not free).
 *
 * @example costUsd("openai", "gpt-4o", { prompt: 1000, completion: 100 }) // 0.0035
 */
export function costUsd(provider: string | null, model: string | null, usage: TokenUsage): number | null {
  const price = model ? priceOf(provider, model) : null;
  if (!price) return null;
  const cachedRead = usage.cachedRead ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  const fresh = Math.max(0, usage.prompt - cachedRead - cacheWrite);
  const readPrice = price.cached_input ?? price.cache_read ?? price.input;
  const writePrice = price.cache_write ?? price.input;
  const dollars = fresh * price.input + cachedRead * readPrice + cacheWrite * writePrice + usage.completion * price.output;
  return dollars * PER_TOKEN;
}

/** The writer's cost hook (db/span-record.ts CostFn), for spans that arrive without cost_usd. */
export function costOfRecord(
  provider: string | null,
  model: string,
  usage: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null },
): number | null {
  if (usage.promptTokens === null && usage.completionTokens === null) return null;
  return costUsd(provider, model, { prompt: usage.promptTokens ?? 0, completion: usage.completionTokens ?? 0, cachedRead: usage.cachedTokens ?? 0 });
}
