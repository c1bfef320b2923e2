import { expect, test } from "bun:test";
import { isStale } from "./stale.ts";

const now = Date.parse("2026-12-06T20:00:00Z");

test("a running trace is stale after 10 minutes without a write, not before, and a finished one never", () => {
  expect(isStale({ status: "running", updated_at: "2026-12-06T19:50:00Z" }, now)).toBe(true);
  expect(isStale({ status: "running", updated_at: "2026-12-06T19:51:00Z" }, now)).toBe(false);
  expect(isStale({ status: "ok", updated_at: "2026-12-01T00:00:00Z" }, now)).toBe(false);
  // From a server that does not say when it last wrote: not marked, rather than guessed.
  expect(isStale({ status: "running" }, now)).toBe(false);
});
