import type { Problem } from "./check-json-value.ts";

/** Expected validation failures come back as values, not exceptions. */
export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Problem);

export const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
export const invalid = (path: string, message: string): Checked<never> => ({ ok: false, path, message });

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export type ItemError = { index: number; id: string | null; path: string; message: string };
