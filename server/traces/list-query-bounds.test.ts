import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

// Values the database would refuse once bound (a NUL in text, a time outside timestamptz, a
// sequence past bigint) were 500s, and the export then answered 200 with an empty body.
const BAD: [param: string, value: string][] = [
  ["project", "a\u0000b"],
  ["provider", "\u0000"],
  ["model", "gpt\u0000"],
  ["q", "x\u0000y"],
  ["since", "-271821-04-20T00:00:00Z"],
  ["until", "+275760-09-13T00:00:00Z"],
  ["since", "99999999999999999999"],
  ["cursor", Buffer.from(`s:${"9".repeat(40)}`).toString("base64url")],
  ["cursor", "A".repeat(5_000)],
  ["q", "x".repeat(5_000)],
];

describe("every list and export parameter is checked before it reaches the database", () => {
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess();
    expect((await kalmia.post("/api/v1/traces/ingest?wait=true", { id: "bounds-1", project_id: "bounds", output: "x" })).status).toBe(200);
  });
  afterAll(() => kalmia.stop());

  for (const path of ["/api/v1/traces", "/api/v1/traces/export"]) {
    test(`${path}: a NUL, a time outside years 1-9999, a huge cursor or an overlong value is a 400 naming the parameter`, async () => {
      for (const [param, value] of BAD) {
        const response = await fetch(`${kalmia.url}${path}?${new URLSearchParams({ [param]: value })}`);
        const body = await response.text();
        expect({ param, value: value.slice(0, 40), status: response.status }).toEqual({ param, value: value.slice(0, 40), status: 400 });
        expect(JSON.parse(body).error.message.startsWith(`${param} `)).toBe(true);
      }
    });
  }

  test("the ordinary values around those bounds are still served", async () => {
    for (const query of ["since=0001-01-01T00:00:00Z", "until=9999-12-31T00:00:00Z", "since=0", "q=ordinary", "project=bounds"]) {
      const response = await fetch(`${kalmia.url}/api/v1/traces?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
    }
  });
});
