import type { AttrValue, Attributes } from "./otlp-types.ts";

/**
 * A span's attributes with a record of which ones the mapping used, so the
 * rest can be kept verbatim in metadata and nothing a team sent is lost.
 */
export class AttrBag {
  private readonly used = new Set<string>();

  constructor(private readonly attrs: Attributes) {}

  has(key: string): boolean {
    return this.attrs[key] !== undefined && this.attrs[key] !== null;
  }

  /** The first of the keys that is present; marks it used. */
  take(...keys: string[]): AttrValue | undefined {
    for (const key of keys) {
      if (this.has(key)) {
        this.used.add(key);
        return this.attrs[key];
      }
    }
    return undefined;
  }

  /** Marks keys as read without reading them (bookkeeping attributes such as mime types). */
  drop(...keys: string[]): void {
    for (const key of keys) this.used.add(key);
  }

  /** Like take, but only a string. */
  text(...keys: string[]): string | undefined {
    const v = this.take(...keys);
    return typeof v === "string" && v ? v : undefined;
  }

  /** Like take, but only a non-negative number (token counts, parameters). */
  number(...keys: string[]): number | undefined {
    const v = this.take(...keys);
    const n = typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
  }

  /** A JSON string attribute parsed (instrumentations serialise structures as strings). */
  json(...keys: string[]): unknown {
    return parseMaybeJson(this.take(...keys));
  }

  /** Every attribute under `prefix.`, keys without the prefix; marks them used. */
  under(prefix: string): Attributes {
    const out: Attributes = {};
    const start = `${prefix}.`;
    for (const key in this.attrs) {
      if (key.startsWith(start)) {
        out[key.slice(start.length)] = this.attrs[key]!;
        this.used.add(key);
      }
    }
    return out;
  }

  /** What no mapping used: kept in the span's metadata. */
  rest(): Attributes {
    const out: Attributes = {};
    for (const key in this.attrs) if (!this.used.has(key)) out[key] = this.attrs[key]!;
    return out;
  }
}

/** JSON text parsed, or undefined when it is not JSON. */
export function tryParseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Turns flattened attributes ("0.message.role", "0.message.tool_calls.1.id")
 * back into nested arrays and objects, the way OpenLLMetry and OpenInference
 * spell lists in attribute keys.
 */
export function unflatten(flat: Attributes): unknown {
  // Null-prototype nodes: a key such as "__proto__.x" stays a plain key.
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]!];
      node = (typeof next === "object" && next !== null ? next : (node[parts[i]!] = Object.create(null))) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return toArrays(root);
}

function toArrays(node: unknown): unknown {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return node;
  const entries = Object.entries(node as Record<string, unknown>);
  const fixed = entries.map(([k, v]) => [k, toArrays(v)] as const);
  if (fixed.length > 0 && fixed.every(([k]) => /^\d+$/.test(k))) {
    return fixed.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(fixed);
}
