import { expect, test } from "bun:test";
import { exportUrl } from "./traces.ts";

test("the export link carries the list's filters, and only those set", () => {
  expect(exportUrl({})).toBe("/api/v1/traces/export");
  expect(exportUrl({ project: "my agent", status: "error", provider: "" } as never)).toBe(
    "/api/v1/traces/export?project=my+agent&status=error",
  );
});

test("the export link repeats each tag and writes each metadata filter as metadata.KEY", () => {
  expect(exportUrl({ user: "u-1", tag: ["prod", "v2"], metadata: { tenant: "acme", "plan.tier": "gold" } })).toBe(
    "/api/v1/traces/export?user=u-1&tag=prod&tag=v2&metadata.tenant=acme&metadata.plan.tier=gold",
  );
});
