import assert from "node:assert/strict";
import { test } from "../../test/support/runner.ts";
import { parseRetryAfter } from "./retry-after.ts";

test("Retry-After in seconds becomes milliseconds", () => {
  assert.equal(parseRetryAfter("1"), 1000);
  assert.equal(parseRetryAfter(" 2.5 "), 2500);
});

test("Retry-After as an HTTP date is the time left until then, never negative", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now), 3000);
  assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
});

test("a missing or unreadable Retry-After is undefined", () => {
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
});
