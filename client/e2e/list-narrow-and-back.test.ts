// The traces list in narrow windows and on the way back from a trace (issue 24, reproductions 6
// and 9, points 7 and 11): at 800 px and on a 390 px phone Time and Cost stay and a long name
// wraps; Back from a trace lands on the same rows with the same filters.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

let session: DashboardSession;
const COUNT = 260;
const LONG_NAME = "nightly reconciliation agent for the accounts payable ledger of every subsidiary";

beforeAll(async () => {
  session = await openDashboardSession({}, { timezoneId: "America/Los_Angeles" });
  const start = Date.now() / 1000 - 4 * 3_600;
  const rows = Array.from({ length: COUNT }, (_, i) => ({
    id: `row-${String(i).padStart(3, "0")}`, root_span_id: `row-${String(i).padStart(3, "0")}`,
    span_attributes: { name: i === COUNT - 1 ? LONG_NAME : `support agent run ${i}`, type: "llm" },
    metadata: { model: "gpt-4o-mini", provider: "openai" },
    metrics: { start: start + i * 30, end: start + i * 30 + 1 + (i % 7) * 0.8, prompt_tokens: 800 + i, completion_tokens: 120, cost_usd: 0.0002 * (1 + (i % 5)) },
  }));
  await postSpans(session.kalmia.url, "agents", rows);
});
afterAll(async () => {
  await session?.close();
});

const visibleWidth = (selector: string) =>
  session.page.locator(selector).first().evaluate((el) => {
    const box = el.getBoundingClientRect();
    return getComputedStyle(el).display === "none" || box.right > window.innerWidth ? 0 : box.width;
  });

describe("the traces list in narrow windows", () => {
  for (const width of [1440, 800, 390]) {
    test(`at ${width} px Time and Cost are shown in full, and a long name wraps instead of pushing them out`, async () => {
      const { page, kalmia } = session;
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${kalmia.url}/traces?project=agents`);
      await page.locator(".table-row .cell-time").first().waitFor();
      expect(await visibleWidth(".table-row .cell-time")).toBeGreaterThan(40);
      expect(await visibleWidth(".table-row .cell-cost")).toBeGreaterThan(30);
      // Not cut off: the whole time fits its cell.
      const clipped = await page.locator(".table-row .cell-time").first().evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(clipped).toBe(false);
      expect(await visibleWidth('[role="columnheader"]:has-text("Time")')).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      if (width < 1000) {
        const name = page.locator(".table-row .cell-name-text").first();
        expect(await name.innerText()).toBe(LONG_NAME);
        const lines = await name.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
        expect(lines).toBeGreaterThanOrEqual(2);
      }
      await session.screenshot(`traces-list-${width}`, true);
    });
  }
});

describe("back from a trace", () => {
  test("restores the list's filters and its scroll position, 200 rows down (past the first page)", async () => {
    const { page, kalmia } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${kalmia.url}/traces?project=agents&model=gpt-4o-mini&sort=cost_usd`);
    await page.locator(".table-row").first().waitFor();
    // Down to the 200th row: past the first page of 100, so later pages load on the way (as they
    // do for a reader scrolling to the end).
    const body = page.locator(".table-body");
    while (!(await page.locator(".table-foot").innerText()).startsWith(`${COUNT} traces loaded`)) {
      await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(100);
    }
    await body.evaluate((el) => (el.scrollTop = 200 * 44));
    const firstInView = async () =>
      page.evaluate(() => {
        const top = document.querySelector(".table-body")!.getBoundingClientRect().top;
        return [...document.querySelectorAll(".table-row")].find((r) => r.getBoundingClientRect().bottom > top + 1)?.getAttribute("data-trace-id");
      });
    const before = await firstInView();
    expect(before).toBeTruthy();
    const scrolledTo = await body.evaluate((el) => el.scrollTop);

    await page.locator(`[data-trace-id="${before}"]`).click();
    await page.waitForURL(new RegExp(`/traces/${before}$`));
    await page.locator(".trace-page").waitFor();
    // The browser's Back (history.back(): a same-document navigation, which goBack() waits on for a load that never comes).
    await page.evaluate(() => history.back());
    await page.waitForURL(/\/traces\?project=agents&model=gpt-4o-mini&sort=cost_usd$/);
    await page.waitForFunction((y) => document.querySelector(".table-body")?.scrollTop === y, scrolledTo);
    expect(await firstInView()).toBe(before);
    expect(await page.locator('select[name="project"]').inputValue()).toBe("agents");
    expect(session.pageErrors).toEqual([]);
  });
});
