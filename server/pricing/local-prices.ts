import { readFileSync } from "node:fs";
import type { Provider } from "@pydantic/genai-prices";
import { familyOf } from "./model-family.ts";

/** What KALMIA_PRICES says of one model (USD per million tokens; docs/PRICING.md). */
type LocalPrice = {
  provider?: string;
  family?: string;
  input_mtok: number;
  output_mtok: number;
  cache_read_mtok?: number;
  cache_write_mtok?: number;
};

/** A model of the local file, as the price library prices it. */
export type LocalModel = { provider: Provider; modelId: string; family: string; onlyFor: string | null };

const PRICE_KEYS = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"] as const;

/** A KALMIA_PRICES file that cannot be used: the server refuses to start, naming what is wrong. */
export class LocalPricesError extends Error {}

/**
 * The models of a KALMIA_PRICES file, by model id: `{"models": {"<model id>": {"input_mtok": 2.5,
 * "output_mtok": 10, "cache_read_mtok"?, "cache_write_mtok"?, "provider"?, "family"?}}}`. A model
 * id also covers its dated snapshots (an entry for `gpt-4o` prices `gpt-4o-2024-08-06`).
 */
export function readLocalPrices(path: string): Map<string, LocalModel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LocalPricesError(`KALMIA_PRICES: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  const models = (parsed as { models?: unknown } | null)?.models;
  if (!models || typeof models !== "object" || Array.isArray(models)) {
    throw new LocalPricesError(`KALMIA_PRICES: ${path} must be {"models": {"<model id>": {"input_mtok": …, "output_mtok": …}}}`);
  }
  const local = new Map<string, LocalModel>();
  for (const [id, entry] of Object.entries(models as Record<string, unknown>)) {
    local.set(id.toLowerCase(), localModel(id, checked(id, entry)));
  }
  return local;
}

function checked(id: string, entry: unknown): LocalPrice {
  const e = entry as Record<string, unknown> | null;
  if (!e || typeof e !== "object") throw new LocalPricesError(`KALMIA_PRICES: models.${id} must be an object`);
  for (const key of PRICE_KEYS) {
    const value = e[key];
    const required = key === "input_mtok" || key === "output_mtok";
    if (value === undefined && !required) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new LocalPricesError(`KALMIA_PRICES: models.${id}.${key} must be a number ≥ 0`);
    }
  }
  for (const key of ["provider", "family"]) {
    if (e[key] !== undefined && typeof e[key] !== "string") throw new LocalPricesError(`KALMIA_PRICES: models.${id}.${key} must be a string`);
  }
  return e as unknown as LocalPrice;
}

function localModel(id: string, price: LocalPrice): LocalModel {
  const prices: Record<string, number> = {};
  for (const key of PRICE_KEYS) if (price[key] !== undefined) prices[key] = price[key]!;
  // The library charges cache writes at cache_write_mtok only where it is given; absent, at the input price.
  const provider: Provider = {
    id: price.provider ?? "local",
    name: "KALMIA_PRICES",
    api_pattern: ".*",
    models: [{ id, match: { equals: id }, prices }],
  };
  return { provider, modelId: id, family: price.family ?? familyOf(id), onlyFor: price.provider ?? null };
}
