import { LIMITS } from "./limits.ts";

export type Problem = { path: string; message: string };

/**
 * Finds what Postgres' jsonb would refuse or what we bound: nesting deeper
 * than the limit, NUL characters, and unpaired UTF-16 surrogates (which
 * JSON.parse accepts from "\ud800" escapes but no database can store).
 */
export function findJsonProblem(value: unknown, path: string, depth = 0): Problem | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return { path, message: "contains a NUL character (\\u0000)" };
    if (!value.isWellFormed()) return { path, message: "contains an unpaired UTF-16 surrogate (invalid Unicode)" };
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth >= LIMITS.depth) {
    return { path, message: `nests deeper than the limit of ${LIMITS.depth} levels` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findJsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = findJsonProblem(key, `${path}.${key}`, depth + 1);
    if (keyProblem) return { ...keyProblem, message: `key ${keyProblem.message}` };
    const problem = findJsonProblem(child, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}
