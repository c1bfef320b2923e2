import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postScores, postSpans } from "./kalmia-api.ts";

let session: DashboardSession;
const consoleErrors: string[] = [];
const RECENT = 45;
const OLDER = 12;

/** Call i: one llm call; recent ones one a minute over the last 45 minutes, older ones 3–5 hours ago; every 5th fails. */
function callRows() {
  const now = Date.now() / 1000;
  const starts = [
    ...Array.from({ length: RECENT }, (_, i) => now - (RECENT - i) * 60 + 5),
    ...Array.from({ length: OLDER }, (_, i) => now - 3 * 3600 - i * 600),
  ];
  return starts.map((start, i) => ({
    id: `shop-${i}`,
    root_span_id: `shop-${i}`,
    span_attributes: { name: `checkout ${i}`, type: "llm" },
    input: [{ role: "user", content: `question ${i}` }],
    output: `answer ${i}`,
    metadata: i % 2 ? { provider: "anthropic", model: "claude-sonnet-4-20250514" } : { provider: "openai", model: "gpt-4o-2024-08-06" },
    metrics: { start, end: start + 0.2 + (i % 7) * 0.3, time_to_first_token: 0.1 + (i % 3) * 0.05, prompt_tokens: 100 + i, completion_tokens: 20 },
    ...(i % 5 === 0 ? { error: "upstream timed out" } : {}),
  }));
}

beforeAll(async () => {
  session = await openDashboardSession();
  session.page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await postSpans(session.kalmia.url, "shop", callRows());
  await postScores(session.kalmia.url, [
    { trace_id: "shop-1", name: "helpful", value: 1 },
    { trace_id: "shop-2", name: "helpful", value: 0 },
  ]);
});
afterAll(async () => {
  await session?.close();
});

const totalTraces = async () => Number((await session.page.locator('[data-total="traces"]').innerText()).replace(/,/g, ""));

describe("a project's overview", () => {
  test("the projects page shows the project's last 24 h as a sparkline and opens its overview", async () => {
    const { page, kalmia } = session;
    await page.goto(kalmia.url);
    expect(await page.locator("h1").innerText()).toBe("Projects");
    const card = page.locator('.project-card[data-project="shop"]');
    await card.locator(".sparkline canvas").waitFor();
    expect(await card.locator(".sparkline").getAttribute("data-traces-24h")).toBe(String(RECENT + OLDER));
    const failed = Math.ceil((RECENT + OLDER) / 5);
    expect(await card.innerText()).toContain(`${((failed / (RECENT + OLDER)) * 100).toFixed(1)}% errors`);
    await card.click();
    await page.waitForURL(/\/projects\/shop$/);
  });

  test("the overview draws its charts with data, and a table of models", async () => {
    const { page } = session;
    for (const chart of ["traces", "latency", "ttft", "tokens", "traces-by", "cost-by", "scores"]) await page.locator(`[data-chart="${chart}"] canvas`).first().waitFor();
    // The scores given in the window: one line per name, its mean per bucket.
    expect(await page.locator('[data-chart="scores"] .u-legend').innerText()).toContain("helpful");
    expect(await totalTraces()).toBe(RECENT + OLDER);
    expect(await page.locator(".model-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")).sort())).toEqual(["claude-sonnet-4", "gpt-4o"]);
    // Hovering a bucket shows its values in the chart's legend.
    const over = page.locator('[data-chart="traces"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.97, box.y + box.height / 2);
    expect(await page.locator('[data-chart="traces"] .u-legend').innerText()).toMatch(/traces\s*\d/);
    await session.screenshot("overview", true);
  });

  test("the range picker changes the URL and the numbers", async () => {
    const { page } = session;
    await page.locator('[data-range="1h"]').click();
    await page.waitForURL(/range=1h/);
    await page.waitForFunction((n) => document.querySelector('[data-total="traces"]')?.textContent === String(n), RECENT);
    expect(await totalTraces()).toBe(RECENT);
  });

  test("clicking a point opens the traces list filtered to that bucket", async () => {
    const { page, kalmia } = session;
    const over = page.locator('[data-chart="traces"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.waitForURL(/\/traces\?project=shop&since=[^&]+&until=/);
    const url = new URL(page.url());
    const [since, until] = [url.searchParams.get("since")!, url.searchParams.get("until")!];
    expect(Date.parse(until) - Date.parse(since)).toBe(60_000 - 1);
    const expected = await (await fetch(`${kalmia.url}/api/v1/traces?project=shop&since=${since}&until=${until}`)).json() as { total: number };
    expect(expected.total).toBeGreaterThanOrEqual(1);
    await page.waitForFunction((n) => document.querySelector(".match-count")?.getAttribute("data-total") === String(n), expected.total);
    expect(await page.locator(".table-row").count()).toBe(expected.total);
  });

  test("dragging over a range zooms the window into the URL", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/projects/shop?range=1h`);
    const over = page.locator('[data-chart="latency"] .u-over');
    await over.waitFor();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForURL(/since=.*until=/);
    const url = new URL(page.url());
    const minutes = (Date.parse(url.searchParams.get("until")!) - Date.parse(url.searchParams.get("since")!)) / 60_000;
    expect(minutes).toBeGreaterThan(10);
    expect(minutes).toBeLessThan(25);
    await page.waitForFunction(() => Number(document.querySelector('[data-total="traces"]')?.textContent) < 45);
    expect(session.pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
  });

  test("while the window ends now, a new trace reaches the charts from the live feed without a reload", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/projects/shop?range=1h`);
    await page.waitForFunction((n) => document.querySelector('[data-total="traces"]')?.textContent === String(n), RECENT);
    const requests: string[] = [];
    page.on("request", (r) => { if (r.url().includes("/api/v1/stats")) requests.push(r.url()); });
    const now = Date.now() / 1000;
    await postSpans(kalmia.url, "shop", [{ id: "shop-live", root_span_id: "shop-live", span_attributes: { type: "llm" },
      metadata: { provider: "openai", model: "gpt-4o" }, metrics: { start: now - 1, end: now, prompt_tokens: 5, completion_tokens: 1 } }]);
    await page.waitForFunction((n) => document.querySelector('[data-total="traces"]')?.textContent === String(n), RECENT + 1);
    // Only the newest bucket was asked again, not the hour.
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) {
      const params = new URL(url).searchParams;
      expect(Date.parse(params.get("until")!) - Date.parse(params.get("since")!)).toBeLessThan(5 * 60_000);
    }
  });
});
