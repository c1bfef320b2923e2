import assert from "node:assert/strict";
import { test } from "../../test/support/runner.ts";
import { safeStringify } from "./safe-stringify.ts";

test("cycles, bigints and unencodable values never throw", () => {
  const cyclic: Record<string, unknown> = { name: "loop", n: 10n };
  cyclic.self = cyclic;
  assert.deepEqual(JSON.parse(safeStringify(cyclic)), { name: "loop", n: "10", self: "[Circular]" });
  assert.equal(safeStringify(undefined), "null");
  assert.equal(safeStringify(() => 1), "null");
});

test("a value seen twice without a cycle is kept both times", () => {
  const shared = { a: 1 };
  assert.deepEqual(JSON.parse(safeStringify({ x: shared, y: shared, big: 1n })), { x: { a: 1 }, y: { a: 1 }, big: "1" });
});
