/** The overview's window, as the URL gives it: a preset ending now (`range=24h`) or fixed bounds (`since`, `until`). */
export const PRESETS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type Preset = keyof typeof PRESETS;
export const DEFAULT_PRESET: Preset = "24h";

export type TimeRange =
  | { kind: "preset"; preset: Preset }
  | { kind: "custom"; since: Date; until: Date };

/** The range the URL's parameters describe; anything unreadable falls back to the last 24 h. */
export function rangeFromParams(params: { range?: string; since?: string; until?: string }): TimeRange {
  if (params.since && params.until) {
    const since = new Date(params.since);
    const until = new Date(params.until);
    if (!Number.isNaN(since.getTime()) && !Number.isNaN(until.getTime()) && since < until) return { kind: "custom", since, until };
  }
  if (params.range && params.range in PRESETS) return { kind: "preset", preset: params.range as Preset };
  return { kind: "preset", preset: DEFAULT_PRESET };
}

/** The URL parameters of a range (the default preset leaves them out). */
export function paramsOfRange(range: TimeRange): { range?: string; since?: string; until?: string } {
  if (range.kind === "custom") return { range: undefined, since: range.since.toISOString(), until: range.until.toISOString() };
  return { range: range.preset === DEFAULT_PRESET ? undefined : range.preset, since: undefined, until: undefined };
}

/** The bounds of a range at `now`: a preset ends now, so its charts follow the live feed. */
export function boundsOf(range: TimeRange, now = Date.now()): { since: Date; until: Date; live: boolean } {
  if (range.kind === "custom") return { since: range.since, until: range.until, live: false };
  return { since: new Date(now - PRESETS[range.preset]), until: new Date(now), live: true };
}

/** Bucket sizes the server may answer with, in milliseconds. */
const BUCKET_MS: Record<string, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "1h": 3_600_000, "3h": 10_800_000, "6h": 21_600_000, "12h": 43_200_000, "1d": 86_400_000 };
export const bucketMs = (bucket: string) => BUCKET_MS[bucket] ?? 60_000;
