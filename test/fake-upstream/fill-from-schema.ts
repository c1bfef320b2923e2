/**
 * Plausible tool arguments for a JSON schema, so a model-less upstream can still "call" any tool.
 * `variant` makes parallel calls differ: a `city` is "Tokyo" for the first call, "New York" for the second.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
};

const PLACES = ["Tokyo", "New York", "San Francisco", "Paris"];

export function fillFromSchema(schema: unknown, variant: number): Record<string, unknown> {
  const properties = (schema as Schema | undefined)?.properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) args[name] = valueFor(name, property, variant);
  return args;
}

function valueFor(name: string, schema: Schema, variant: number): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[variant % schema.enum.length];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "number":
    case "integer":
      return variant + 1;
    case "boolean":
      return true;
    case "array":
      return [valueFor(name, schema.items ?? {}, variant)];
    case "object":
      return fillFromSchema(schema, variant);
    default:
      return stringFor(name, variant);
  }
}

function stringFor(name: string, variant: number): string {
  if (/city|location|place|town|destination/i.test(name)) return PLACES[variant % PLACES.length];
  if (/unit/i.test(name)) return "celsius";
  if (/date/i.test(name)) return "2025-06-01";
  if (/query|search|question|prompt/i.test(name)) return `query ${variant + 1}`;
  return `${name} ${variant + 1}`;
}
