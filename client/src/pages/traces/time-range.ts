/**
 * The list's time window, kept in the URL: `range=1h|24h|7d|30d` (a window ending now), or
 * `range=custom` with `since` and `until` (ISO 8601). The API filters on the trace's start.
 */
export const RANGE_PRESETS = [
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
] as const;

export type RangeParams = { range?: string; since?: string; until?: string };
export type RangeBounds = { since?: string; until?: string };

/** The bounds to ask the API for; a preset ends now (as of `now`), a custom range is taken as written. */
export function rangeBounds(params: RangeParams, now = Date.now()): RangeBounds {
  const preset = RANGE_PRESETS.find((p) => p.value === params.range);
  if (preset) return { since: new Date(now - preset.ms).toISOString() };
  if (params.range !== "custom") return {};
  const bounds: RangeBounds = {};
  for (const key of ["since", "until"] as const) {
    const raw = params[key];
    const time = raw ? Date.parse(raw) : NaN;
    if (Number.isFinite(time)) bounds[key] = new Date(time).toISOString();
  }
  return bounds;
}

/** A `datetime-local` input's value (the reader's local time, no zone) from an ISO time, and back. */
export function toLocalInput(iso: string | undefined): string {
  const time = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(time)) return "";
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  const time = value ? new Date(value).getTime() : NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
