import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

const trace = (id: string) => ({ id, project_id: "paging", output: id });

test("paging through 10,000 traces while others arrive returns each older trace exactly once", async () => {
  const older: string[] = [];
  for (let batch = 0; batch < 10; batch++) {
    const items = Array.from({ length: 1_000 }, (_, i) => trace(`old-${batch * 1_000 + i}`));
    older.push(...items.map((t) => t.id));
    expect((await kalmia.post("/api/v1/traces/ingest", items)).status).toBe(200);
  }

  let arriving = true;
  let newCount = 0;
  const writer = (async () => {
    while (arriving) {
      const items = Array.from({ length: 20 }, () => trace(`new-${newCount++}`));
      await kalmia.post("/api/v1/traces/ingest", items);
    }
  })();

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : "";
    const page: any = await kalmia.getJson(`/api/v1/traces?project=paging&limit=100${query}`);
    expect(page.traces.length).toBeLessThanOrEqual(100);
    seen.push(...page.traces.map((t: any) => t.id));
    cursor = page.next_cursor;
    pages++;
  } while (cursor);
  arriving = false;
  await writer;

  expect(newCount).toBeGreaterThan(0);
  const seenOlder = seen.filter((id) => id.startsWith("old-"));
  expect(seenOlder).toHaveLength(10_000);
  expect(new Set(seenOlder).size).toBe(10_000);
  expect(new Set(seen).size).toBe(seen.length);
  expect(pages).toBeGreaterThanOrEqual(100);
});
