import { expect, test } from "bun:test";
import { exportUrl } from "./traces.ts";

test("the export link carries the list's filters, and only those set", () => {
  expect(exportUrl({})).toBe("/api/v1/traces/export");
  expect(exportUrl({ project: "my agent", status: "error", provider: "" } as never)).toBe(
    "/api/v1/traces/export?project=my+agent&status=error",
  );
});
