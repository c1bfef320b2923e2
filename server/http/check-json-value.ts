import { LIMITS } from "./limits.ts";

export type Problem = { path: string; message: string };

type Found = { keys: (string | number)[]; message: string };

function checkString(value: string): string | null {
  if (value.length > LIMITS.stringChars) return `is longer than the limit of ${LIMITS.stringChars} characters`;
  if (value.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (!value.isWellFormed()) return "contains an unpaired UTF-16 surrogate (invalid Unicode)";
  return null;
}

// Paths are built only for the one value that fails: building a string for
// every node visited was most of the cost of checking a large batch.
function walk(value: unknown, depth: number): Found | null {
  if (typeof value === "string") {
    const message = checkString(value);
    return message ? { keys: [], message } : null;
  }
  // Never from a parsed body; from a decoder (OTLP's 64-bit integers) it would fail the row's JSON.
  if (typeof value === "bigint") return { keys: [], message: "is a BigInt, which JSON cannot hold" };
  if (typeof value !== "object" || value === null) return null;
  if (depth >= LIMITS.depth) return { keys: [], message: `nests deeper than the limit of ${LIMITS.depth} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1);
      if (found) return (found.keys.unshift(i), found);
    }
    return null;
  }
  for (const key in value) {
    const keyProblem = checkString(key);
    if (keyProblem) return { keys: [key], message: `key ${keyProblem}` };
    const found = walk((value as Record<string, unknown>)[key], depth + 1);
    if (found) return (found.keys.unshift(key), found);
  }
  return null;
}

/**
 * Finds what Postgres' jsonb would refuse or what we bound: nesting deeper
 * than the limit, NUL characters, and unpaired UTF-16 surrogates (which
 * JSON.parse accepts from "\ud800" escapes but no database can store).
 */
export function findJsonProblem(value: unknown, path: string, depth = 0): Problem | null {
  const found = walk(value, depth);
  if (!found) return null;
  const suffix = found.keys.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
  return { path: path + suffix, message: found.message };
}
