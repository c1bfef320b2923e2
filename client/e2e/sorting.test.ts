import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

let session: DashboardSession;
const COUNT = 12;

// Durations shuffled against start times (call i lasts ((i * 5) % 12 + 1) seconds), so that the
// Duration order is not the time order. Calls 2 and 9 had two failed fetches under a root that
// delivered.
function agentRows(project: string) {
  const base = Date.now() / 1000 - 3_600;
  return Array.from({ length: COUNT }, (_, i) => {
    const id = `${project}-${i}`;
    const start = base + i * 60;
    const root = {
      id, root_span_id: id, span_attributes: { name: `agent run ${i}`, type: "task" },
      metrics: { start, end: start + ((i * 5) % COUNT) + 1 },
    };
    if (i !== 2 && i !== 9) return [root];
    const fetchStep = (n: number) => ({
      id: `${id}-fetch-${n}`, root_span_id: id, span_parents: [id], span_attributes: { name: "fetch page", type: "tool" },
      error: "403 Forbidden", metrics: { start: start + 0.1, end: start + 0.2 },
    });
    return [root, fetchStep(1), fetchStep(2)];
  }).flat();
}

const durationOf = (i: number) => ((i * 5) % COUNT) + 1;
const rowIds = (page: Page) => page.locator(".table-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id")!));

beforeAll(async () => {
  session = await openDashboardSession();
  await postSpans(session.kalmia.url, "sorted", agentRows("sorted"));
});
afterAll(async () => {
  await session?.close();
});

describe("sorting the traces list", () => {
  test("clicking the Duration header sorts longest first, again shortest first, and the count of matches shows", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=sorted`);
    await page.waitForSelector(".table-row");
    expect(await page.locator(".match-count").innerText()).toBe(`${COUNT} traces`);
    const byTime = Array.from({ length: COUNT }, (_, i) => `sorted-${COUNT - 1 - i}`);
    expect(await rowIds(page)).toEqual(byTime);
    expect(await page.locator('[role="columnheader"][aria-sort="descending"]').textContent()).toContain("Time");

    const longestFirst = Array.from({ length: COUNT }, (_, i) => i).sort((a, b) => durationOf(b) - durationOf(a)).map((i) => `sorted-${i}`);
    await page.click('button[data-sort="duration_ms"]');
    await page.waitForURL(/sort=duration_ms/);
    await page.waitForFunction((first) => document.querySelector(".table-row")?.getAttribute("data-trace-id") === first, longestFirst[0]);
    expect(await rowIds(page)).toEqual(longestFirst);
    expect(await page.locator('[role="columnheader"][aria-sort="descending"]').textContent()).toContain("Duration");

    await page.click('button[data-sort="duration_ms"]');
    await page.waitForURL(/order=asc/);
    const shortestFirst = [...longestFirst].reverse();
    await page.waitForFunction((first) => document.querySelector(".table-row")?.getAttribute("data-trace-id") === first, shortestFirst[0]);
    expect(await rowIds(page)).toEqual(shortestFirst);
    expect(await page.locator(".match-count").innerText()).toBe(`${COUNT} traces`);
    await session.screenshot("traces-sorted");
  });

  test("a trace whose steps failed but whose root delivered is ok, marked with its failed steps", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=sorted`);
    const row = page.locator('[data-trace-id="sorted-9"]');
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("ok");
    expect(await row.locator(".failed-steps").innerText()).toBe("2 failed steps");
    expect(await page.locator(".failed-steps").count()).toBe(2);

    await page.goto(`${kalmia.url}/traces?project=sorted&has_errors=true`);
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 2);
    expect((await rowIds(page)).sort()).toEqual(["sorted-2", "sorted-9"]);
    expect(await page.locator(".match-count").innerText()).toBe("2 traces");
    expect(session.pageErrors).toEqual([]);
  });
});
