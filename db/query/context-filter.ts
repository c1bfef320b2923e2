import { eq, sql, type SQL } from "drizzle-orm";
import { traces } from "../schema.ts";

/** The list's filters on who, which conversation, which labels and which metadata (DESIGN.md). */
export type ContextFilter = {
  user?: string;
  session?: string;
  /** Every one must be on the trace. */
  tags?: string[];
  /** `metadata.KEY=VALUE`: the key's path (nested by dots) and the value as the query gave it. */
  metadata?: MetadataMatch[];
};
export type MetadataMatch = { key: string; value: string };

/**
 * The JSON values a query's text stands for: itself as a string, and, when it reads as one, the
 * number, boolean or null it spells (`metadata.retries=3` finds 3 and "3").
 */
function candidates(value: string): unknown[] {
  const values: unknown[] = [value];
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value))) values.push(Number(value));
  if (value === "true" || value === "false" || value === "null") values.push(JSON.parse(value));
  return values;
}

/** `{a: {b: value}}` for the path a.b: what jsonb containment (@>) needs, and the GIN index serves. */
function nested(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/**
 * One metadata match as containment tests, each served by traces_metadata (jsonb_path_ops): the key
 * nested by its dots, or (as OTLP attributes often are) a flat key with dots in it.
 */
function metadataCondition({ key, value }: MetadataMatch): SQL {
  const path = key.split(".");
  const shapes = candidates(value).flatMap((v) => (path.length > 1 ? [nested(path, v), { [key]: v }] : [nested(path, v)]));
  const tests = shapes.map((shape) => sql`${traces.metadata} @> ${JSON.stringify(shape)}::jsonb`);
  return sql`(${sql.join(tests, sql` or `)})`;
}

export function contextConditions(filter: ContextFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.user) where.push(eq(traces.userId, filter.user));
  if (filter.session) where.push(eq(traces.sessionId, filter.session));
  if (filter.tags?.length) where.push(sql`${traces.tags} @> ${textArray(filter.tags)}`);
  for (const match of filter.metadata ?? []) where.push(metadataCondition(match));
  return where;
}

/** Values as one text[] parameter, each element quoted: a tag or an id may hold commas, braces or quotes. */
export const textArray = (values: string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`}::text[]`;
