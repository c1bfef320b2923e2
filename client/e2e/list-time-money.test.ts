// The traces list as a reader in Los Angeles meets it (issue 24, reproductions 5 and 7, points 5, 6,
// 9, 10 and 12): times with their zone and year and the exact value on hover, a UTC switch that
// stays, honest costs, a page for a missing trace and for an unknown path, the stale filter, and
// the time window in the URL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

let session: DashboardSession;
const now = Date.now() / 1000;
const LAST_YEAR = Date.parse(`${new Date().getUTCFullYear() - 1}-11-28T02:00:00Z`) / 1000;

const root = (id: string, start: number, metrics: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id, root_span_id: id, span_attributes: { name: id, type: "llm" },
  metrics: { start, end: start + 1.234, ...metrics }, ...extra,
});

beforeAll(async () => {
  session = await openDashboardSession({}, { timezoneId: "America/Los_Angeles" });
  await postSpans(session.kalmia.url, "money", [
    root("tiny-cost", now - 30, { cost_usd: 0.000_003_75, prompt_tokens: 12, completion_tokens: 3 }, { metadata: { model: "house-model" } }),
    root("free-call", now - 20, { cost_usd: 0, prompt_tokens: 12, completion_tokens: 3 }, { metadata: { model: "house-model" } }),
    root("no-price", now - 10, { prompt_tokens: 12, completion_tokens: 3 }, { metadata: { model: "house-model-unpriced" } }),
  ]);
  await postSpans(session.kalmia.url, "zones", [root("last-winter", LAST_YEAR), root("two-hours-ago", now - 7_200), root("just-now", now - 60)]);
  await postSpans(session.kalmia.url, "zones", [{ id: "still-going", root_span_id: "still-going", span_attributes: { name: "nightly job", type: "task" }, metrics: { start: now - 30 } }]);
});
afterAll(async () => {
  await session?.close();
});

const cellOf = (id: string, cell: string) => session.page.locator(`[data-trace-id="${id}"] .${cell}`);

describe("times on the traces list", () => {
  for (const width of [1440, 800]) test(`at ${width} px a trace from last November reads 'Nov 27, <year>, 18:00 PST' in Los Angeles, with ISO and UTC on hover`, async () => {
    const { page, kalmia } = session;
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${kalmia.url}/traces?project=zones`);
    await cellOf("last-winter", "cell-time").waitFor();
    const year = new Date().getUTCFullYear() - 1;
    expect((await cellOf("last-winter", "cell-time").innerText()).replace(/\s+/g, " ")).toBe(`Nov 27, ${year}, 18:00 PST`);
    // Shown whole, not cut to an ellipsis.
    expect(await cellOf("last-winter", "cell-time").evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const iso = `${year}-11-28T02:00:00.000Z`;
    expect(await cellOf("last-winter", "cell-time").getAttribute("title")).toBe(`${iso} · Nov 28, ${year}, 02:00:00 UTC`);
    expect(await cellOf("last-winter", "cell-time").getAttribute("datetime")).toBe(iso);
    // Today's: the clock with its zone, PST or PDT as the season has it.
    expect(await cellOf("just-now", "cell-time").innerText()).toMatch(/^\d{2}:\d{2}:\d{2} P[SD]T$/);
    // Durations as people say them.
    expect(await page.locator('[data-trace-id="last-winter"]').innerText()).toContain("1.2 s");
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  test("the UTC switch shows every time in UTC and is remembered after a reload", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=zones`);
    await cellOf("last-winter", "cell-time").waitFor();
    expect(await page.locator(".zone-switch").innerText()).toMatch(/^Local \(P[SD]T\)$/);
    await page.click(".zone-switch");
    const year = new Date().getUTCFullYear() - 1;
    expect(await cellOf("last-winter", "cell-time").innerText()).toBe(`Nov 28, ${year}, 02:00 UTC`);
    await page.reload();
    await cellOf("last-winter", "cell-time").waitFor();
    expect(await page.locator(".zone-switch").innerText()).toBe("UTC");
    expect(await cellOf("last-winter", "cell-time").innerText()).toBe(`Nov 28, ${year}, 02:00 UTC`);
    await page.click(".zone-switch");
    expect(await cellOf("last-winter", "cell-time").innerText()).toBe(`Nov 27, ${year}, 18:00 PST`);
  });
});

describe("times on the trace page", () => {
  test("a span's start and end metrics read as times in the reader's zone, not as Unix floats", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces/last-winter`);
    await page.locator(".span-detail").waitFor();
    await page.locator('.span-detail .collapsible-head:has-text("Metrics")').click();
    const metrics = await page.locator(".span-detail .collapsible-body").last().innerText();
    const year = new Date().getUTCFullYear() - 1;
    expect(metrics).toContain(`Nov 27, ${year}, 18:00 PST`);
    expect(metrics).not.toContain(String(Math.floor(LAST_YEAR)));
  });
});

describe("costs on the traces list", () => {
  for (const width of [1440, 800]) {
    test(`at ${width} px a cost under a hundredth of a cent reads <$0.0001, a real zero $0, a model without a price 'unpriced'`, async () => {
      const { page, kalmia } = session;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${kalmia.url}/traces?project=money`);
      await cellOf("no-price", "cell-cost").waitFor();
      expect(await cellOf("tiny-cost", "cell-cost").innerText()).toBe("<$0.0001");
      expect(await cellOf("tiny-cost", "cell-cost").getAttribute("title")).toBe("$0.00000375");
      expect(await cellOf("free-call", "cell-cost").innerText()).toBe("$0");
      expect(await cellOf("no-price", "cell-cost").innerText()).toBe("unpriced");
      expect(await page.locator(".table-body").innerText()).not.toContain("$0.0000");
      await page.setViewportSize({ width: 1400, height: 900 });
    });
  }
});

describe("pages that do not exist", () => {
  test("a missing trace id says 'Trace not found' with a link back to the list as it was", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=zones`);
    await cellOf("just-now", "cell-time").waitFor();
    await page.goto(`${kalmia.url}/traces/no-such-trace-42`);
    await page.getByText("Trace not found").waitFor();
    expect(await page.locator(".state").innerText()).toContain("no-such-trace-42");
    expect(await page.locator(".state").innerText()).not.toContain("Something went wrong");
    await page.click("text=Back to traces");
    await page.waitForURL(/\/traces\?project=zones$/);
    await cellOf("just-now", "cell-time").waitFor();
  });

  test("an unknown path answers 404 with the app's own 'Page not found', not JSON", async () => {
    const { page, kalmia } = session;
    const response = await page.goto(`${kalmia.url}/nope/page`);
    expect(response!.status()).toBe(404);
    expect(response!.headers()["content-type"]).toContain("text/html");
    await page.getByText("Page not found").waitFor();
    expect(await page.locator("body").innerText()).not.toContain('"error"');
    expect(session.pageErrors).toEqual([]);
  });
});

describe("stale runs and the time window", () => {
  test("a run with no update for 10 minutes is marked stale, and the status filter offers stale", async () => {
    const { page, kalmia } = session;
    // Eleven minutes on: the job behind "still-going" has written nothing since.
    await page.clock.install({ time: Date.now() + 11 * 60_000 });
    await page.goto(`${kalmia.url}/traces?project=zones`);
    await page.locator('[data-trace-id="still-going"] .status[data-status="stale"]').waitFor();
    expect(await page.locator('[data-trace-id="still-going"]').getAttribute("data-status")).toBe("running");
    await page.selectOption('select[name="status"]', "stale");
    await page.waitForURL(/status=stale/);
    expect(await page.locator('select[name="status"] option[value="stale"]').innerText()).toContain("stale");
  });

  test("'Last hour' keeps the traces of the last hour, in the URL; a reload and 'Custom…' keep the window", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=zones`);
    await cellOf("two-hours-ago", "cell-time").waitFor();
    await page.selectOption('select[name="range"]', "1h");
    await page.waitForURL(/range=1h/);
    // The list reloads for the new window: wait for its rows, then for the older trace to be gone.
    await page.locator('[data-trace-id="just-now"]').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-trace-id="two-hours-ago"]'));
    expect(await page.locator('[data-trace-id="just-now"]').count()).toBe(1);
    await page.reload();
    await cellOf("just-now", "cell-time").waitFor();
    expect(await page.locator('[data-trace-id="two-hours-ago"]').count()).toBe(0);
    expect(await page.locator('select[name="range"]').inputValue()).toBe("1h");

    await page.selectOption('select[name="range"]', "custom");
    await page.waitForURL(/range=custom&since=[^&]+&until=/);
    expect(await page.locator('input[name="since"]').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await cellOf("two-hours-ago", "cell-time").waitFor();
    expect(await page.locator('[data-trace-id="last-winter"]').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
