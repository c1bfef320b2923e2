import { expect, test } from "bun:test";
import { boundsOf, paramsOfRange, rangeFromParams } from "./time-range.ts";

test("a preset in the URL is a window ending now, and the default one stays out of the URL", () => {
  const range = rangeFromParams({ range: "7d" });
  expect(range).toEqual({ kind: "preset", preset: "7d" });
  const bounds = boundsOf(range, Date.UTC(2026, 0, 8));
  expect(bounds).toEqual({ since: new Date(Date.UTC(2026, 0, 1)), until: new Date(Date.UTC(2026, 0, 8)), live: true });
  expect(paramsOfRange({ kind: "preset", preset: "24h" })).toEqual({ range: undefined, since: undefined, until: undefined });
});

test("since and until make a fixed window that does not follow the live feed; a reversed or unreadable one falls back to 24 h", () => {
  const range = rangeFromParams({ since: "2026-01-01T00:00:00.000Z", until: "2026-01-02T00:00:00.000Z" });
  expect(boundsOf(range).live).toBe(false);
  expect(paramsOfRange(range)).toEqual({ range: undefined, since: "2026-01-01T00:00:00.000Z", until: "2026-01-02T00:00:00.000Z" });
  expect(rangeFromParams({ since: "2026-01-02T00:00:00Z", until: "2026-01-01T00:00:00Z" })).toEqual({ kind: "preset", preset: "24h" });
  expect(rangeFromParams({ range: "2y" })).toEqual({ kind: "preset", preset: "24h" });
});
