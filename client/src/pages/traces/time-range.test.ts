import { expect, test } from "bun:test";
import { rangeBounds } from "./time-range.ts";

const now = Date.parse("2026-12-06T20:00:00Z");

test("a preset window ends now: 'range=24h' asks for traces since this time yesterday", () => {
  expect(rangeBounds({ range: "24h" }, now)).toEqual({ since: "2026-12-05T20:00:00.000Z" });
  expect(rangeBounds({ range: "1h" }, now)).toEqual({ since: "2026-12-06T19:00:00.000Z" });
  expect(rangeBounds({ range: "30d" }, now)).toEqual({ since: "2026-11-06T20:00:00.000Z" });
});

test("a custom window is taken as written, a bad bound is dropped, and no range means all time", () => {
  expect(rangeBounds({ range: "custom", since: "2026-11-27T00:00:00Z", until: "garbage" }, now)).toEqual({ since: "2026-11-27T00:00:00.000Z" });
  expect(rangeBounds({ since: "2026-11-27T00:00:00Z" }, now)).toEqual({});
  expect(rangeBounds({ range: "forever" }, now)).toEqual({});
});
