import { expect, test } from "bun:test";
import { exactTime, formatDuration, formatTimeIn, isEpochMetric } from "./time.ts";

const LA = "America/Los_Angeles";
const now = new Date("2026-12-06T20:00:00Z");

test("a time from earlier this year shows its day and its zone, PST in a Los Angeles winter and PDT in summer", () => {
  expect(formatTimeIn("2026-11-28T02:00:00Z", { timeZone: LA, now })).toBe("Nov 27, 18:00 PST");
  expect(formatTimeIn("2026-07-04T19:30:00Z", { timeZone: LA, now })).toBe("Jul 4, 12:30 PDT");
});

test("a time from another year shows the year, and one from today only the clock with seconds", () => {
  expect(formatTimeIn("2025-11-28T02:00:00Z", { timeZone: LA, now })).toBe("Nov 27, 2025, 18:00 PST");
  expect(formatTimeIn("2026-12-06T19:59:05Z", { timeZone: LA, now })).toBe("11:59:05 PST");
});

test("the day is judged in the zone shown: 02:00 UTC on Nov 28 is still Nov 27 in Los Angeles, today's date in UTC", () => {
  const lateEvening = new Date("2026-11-28T06:00:00Z"); // Nov 27, 22:00 in Los Angeles
  expect(formatTimeIn("2026-11-28T02:00:00Z", { timeZone: LA, now: lateEvening })).toBe("18:00:00 PST");
  expect(formatTimeIn("2026-11-28T02:00:00Z", { timeZone: "UTC", now: lateEvening })).toBe("02:00:00 UTC");
});

test("Unix seconds and milliseconds read as the same moment, and nonsense as a dash", () => {
  const seconds = Date.parse("2026-11-28T02:00:00Z") / 1000;
  expect(formatTimeIn(seconds, { timeZone: "UTC", now })).toBe("Nov 28, 02:00 UTC");
  expect(formatTimeIn(seconds * 1000, { timeZone: "UTC", now })).toBe("Nov 28, 02:00 UTC");
  expect(formatTimeIn("not a time", { timeZone: "UTC", now })).toBe("—");
  expect(formatTimeIn(null)).toBe("—");
});

test("hovering a time gives its exact ISO value and the same moment in UTC", () => {
  expect(exactTime("2026-11-28T02:00:00.123Z")).toBe("2026-11-28T02:00:00.123Z · Nov 28, 2026, 02:00:00 UTC");
});

test("durations read as people say them", () => {
  expect(formatDuration(850)).toBe("850 ms");
  expect(formatDuration(1234)).toBe("1.2 s");
  expect(formatDuration(59_990)).toBe("59.9 s");
  expect(formatDuration(184_000)).toBe("3 m 4 s");
  expect(formatDuration(60_000)).toBe("1 m 0 s");
  expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 m");
  expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
  expect(formatDuration(null)).toBe("—");
});

test("start and end metrics in epoch seconds are moments; token counts and TTFT are not", () => {
  expect(isEpochMetric("start", 1_764_295_200.25)).toBe(true);
  expect(isEpochMetric("end", 1_764_295_200_250)).toBe(true);
  expect(isEpochMetric("prompt_tokens", 1_764_295_200)).toBe(false);
  expect(isEpochMetric("time_to_first_token", 0.4)).toBe(false);
  expect(isEpochMetric("start", 12)).toBe(false);
});
