import { createSignal } from "solid-js";
import type { Instant } from "../api/types.ts";

/** Times shown in the browser's own zone, or in UTC: the reader's choice, kept per browser. */
export type ZoneMode = "local" | "utc";

const STORAGE_KEY = "kalmia.time-zone";

function storedMode(): ZoneMode {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === "utc" ? "utc" : "local";
  } catch {
    return "local"; // storage refused (private mode, sandboxed frame): the default, not an error
  }
}

const [zoneMode, setZoneModeSignal] = createSignal<ZoneMode>(storedMode());
export { zoneMode };

export function setZoneMode(mode: ZoneMode): void {
  setZoneModeSignal(mode);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, mode);
  } catch {
    // Not remembered, still applied for this page.
  }
}

/** ISO strings, Unix seconds and Unix milliseconds all become Dates. */
export function toDate(value: Instant | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return Number.isFinite(value) ? new Date(value < 1e12 ? value * 1000 : value) : null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Where a time is shown: an IANA zone, or undefined for the browser's own. */
export type ShowIn = { timeZone?: string; now?: Date };

const zoneOf = (mode: ZoneMode): string | undefined => (mode === "utc" ? "UTC" : undefined);

// Building an Intl formatter costs far more than using one (a list row formats several times):
// one per zone and shape, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.DateTimeFormat("en-US", { ...options, timeZone })));
  return made;
}

/** Calendar fields of a date as seen in a zone, to compare days and years there, not in UTC. */
function fieldsIn(date: Date, timeZone: string | undefined) {
  const parts = formatter(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { year: get("year"), day: `${get("year")}-${get("month")}-${get("day")}` };
}

/**
 * A time as a reader wants it at a glance, always with its zone: "18:00:05 PST" today,
 * "Nov 27, 18:00 PST" this year, "Nov 27, 2025, 18:00 PST" before. The zone's short name
 * comes from the browser ("PST"/"PDT" in Los Angeles, "UTC", or "GMT+1" where there is none).
 */
export function formatTimeIn(value: Instant | undefined, { timeZone, now = new Date() }: ShowIn = {}): string {
  const date = toDate(value);
  if (!date) return "—";
  const then = fieldsIn(date, timeZone);
  const today = fieldsIn(now, timeZone);
  const clock: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" };
  if (then.day === today.day) return formatter(timeZone, { ...clock, second: "2-digit" }).format(date);
  const sameYear = then.year === today.year;
  return formatter(timeZone, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }), ...clock }).format(date);
}

/** In the zone the reader chose (reactive: read inside a component, it follows the switch). */
export function formatTime(value: Instant | undefined, now?: Date): string {
  return formatTimeIn(value, { timeZone: zoneOf(zoneMode()), now });
}

/** The exact value, for hover: ISO 8601 with milliseconds, and the same instant in words in UTC. */
export function exactTime(value: Instant | undefined): string {
  const date = toDate(value);
  if (!date) return "";
  const utc = formatter("UTC", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(date);
  return `${date.toISOString()} · ${utc} UTC`;
}

/** The short name of the zone times are shown in now ("PST", "UTC"), for the switch's label. */
export function zoneName(mode: ZoneMode, at = new Date()): string {
  if (mode === "utc") return "UTC";
  const part = formatter(undefined, { timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName");
  return part?.value ?? "local";
}

export function formatRelative(value: Instant | undefined, now = Date.now()): string {
  const date = toDate(value);
  if (!date) return "never";
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/**
 * A duration as people say it: "850 ms", "1.2 s", "3 m 4 s", "2 h 5 m", "3 d 4 h". Rounded down
 * at each unit so that a value never shows a unit it has not reached ("60 s" is "1 m 0 s").
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1) return ms === 0 ? "0 ms" : "<1 ms";
  if (ms < 1000) return `${Math.floor(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  const [m, s] = [Math.floor(seconds / 60), seconds % 60];
  if (m < 60) return `${m} m ${s} s`;
  const [h, min] = [Math.floor(m / 60), m % 60];
  if (h < 24) return `${h} h ${min} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

// Metrics the SDKs and OTLP record as Unix epoch seconds (or milliseconds).
const EPOCH_KEYS = new Set(["start", "end", "start_time", "end_time", "first_token_time", "completion_start_time"]);
// 2001-09-09 to 2286-11-20 in seconds, the same span in milliseconds: a count, not a time, is outside both.
const looksEpoch = (n: number) => (n >= 1e9 && n < 1e10) || (n >= 1e12 && n < 1e13);

/** Whether a metric is a moment (start, end) that should read as a time, not a float. */
export function isEpochMetric(key: string, value: unknown): value is number {
  return typeof value === "number" && EPOCH_KEYS.has(key) && looksEpoch(value);
}

/** A span's metrics for display: epoch moments as times in the chosen zone, everything else as is. */
export function readableMetrics(metrics: Record<string, unknown> | null | undefined, now?: Date): Record<string, unknown> {
  if (!metrics) return {};
  return Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, isEpochMetric(key, value) ? formatTime(value, now) : value]));
}
