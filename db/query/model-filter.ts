import { sql, type SQL } from "drizzle-orm";
import { traces } from "../schema.ts";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `model=`: the exact model id, or a family (`gpt-4o` finds `gpt-4o-2024-08-06`, the id a
 * successful call is stored under, and `gpt-4o`, a failed one's). A single word without a dash
 * names a vendor's line (`claude`, `gemini`, `gpt`): it finds every family that starts with it
 * and a dash (`claude-sonnet-4`, `claude-3-5-haiku`), while `gpt-4o` never finds `gpt-4o-mini`.
 */
export function modelMatches(model: string): SQL {
  const family = model.trim().toLowerCase();
  const exact = sql`(${traces.model} = ${model} or ${traces.modelFamily} = ${family})`;
  if (family.includes("-") || family === "") return exact;
  return sql`(${traces.model} = ${model} or ${traces.modelFamily} = ${family} or ${traces.modelFamily} like ${`${escapeLike(family)}-%`})`;
}
