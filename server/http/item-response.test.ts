import { expect, test } from "bun:test";
import type { Rejection } from "../../db/write/writer.ts";
import { itemResponse } from "./item-response.ts";

const refused = (index: number, id: string): Rejection => ({ kind: "span", index, id, code: "22003", reason: "integer out of range" });
const byRow = (r: Rejection) => ({ index: r.index, id: r.id, path: `rows[${r.index}]`, message: `could not be stored: ${r.reason} (${r.code})` });

test("rows the writer refused are answered as item errors with their reason, never counted as accepted", async () => {
  const response = await itemResponse(Promise.resolve({ rejected: [refused(2, "c")] }), 3, [{ index: 0, id: "a", path: "rows[0].id", message: "is required" }], "span rows", byRow);
  expect(response.status).toBe(207);
  expect(await response.json()).toEqual({
    accepted: 2,
    errors: [
      { index: 0, id: "a", path: "rows[0].id", message: "is required" },
      { index: 2, id: "c", path: "rows[2]", message: "could not be stored: integer out of range (22003)" },
    ],
  });
});

test("when the writer refused every row taken, the answer is a 400 naming them", async () => {
  const response = await itemResponse(Promise.resolve({ rejected: [refused(0, "a"), refused(1, "b")] }), 2, [], "span rows", byRow);
  expect(response.status).toBe(400);
  const body: any = await response.json();
  expect(body.errors.map((e: any) => e.id)).toEqual(["a", "b"]);
  expect(body.error.message).toBe("no valid span rows: rows[0] could not be stored: integer out of range (22003)");
});
