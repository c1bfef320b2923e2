import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

let session: DashboardSession;
const ALPHA = 230;

/** One finished LLM call per trace; providers alternate; calls 3, 8, 13, … fail. */
function callRows(project: string, count: number) {
  const base = Date.now() / 1000 - count;
  return Array.from({ length: count }, (_, i) => {
    const anthropic = i % 2 === 1;
    return {
      id: `${project}-${i}`,
      root_span_id: `${project}-${i}`,
      span_attributes: { name: `${project} call ${i}`, type: "llm" },
      input: [{ role: "user", content: i === 7 ? "find the needle in the haystack" : `question ${i}` }],
      output: `answer ${i}`,
      metadata: anthropic ? { provider: "anthropic", model: "claude-sonnet-4-20250514" } : { provider: "openai", model: "gpt-4o" },
      metrics: { start: base + i, end: base + i + 0.5, prompt_tokens: 10 + i, completion_tokens: 5 },
      ...(i % 5 === 3 ? { error: "upstream timed out" } : {}),
    };
  });
}

beforeAll(async () => {
  session = await openDashboardSession();
  await postSpans(session.kalmia.url, "alpha", callRows("alpha", ALPHA));
  await postSpans(session.kalmia.url, "beta", callRows("beta", 20));
});
afterAll(async () => {
  await session?.close();
});

const visibleRows = (page: Page) =>
  page.locator(".table-row").evaluateAll((rows) =>
    rows.map((r) => ({ id: r.getAttribute("data-trace-id")!, status: r.getAttribute("data-status"), text: (r as HTMLElement).innerText })),
  );

const loadedCount = async (page: Page) => Number((await page.locator(".table-foot").innerText()).match(/([\d,]+) traces loaded/)![1]!.replace(/,/g, ""));

describe("traces page filters and paging", () => {
  test("the projects page lists each project with its totals", async () => {
    const { page, kalmia } = session;
    await page.goto(kalmia.url);
    const alpha = page.locator('.experiment[data-project="alpha"]');
    await alpha.waitFor();
    expect(await alpha.innerText()).toContain(String(ALPHA));
    expect(await alpha.innerText()).toContain("20.0%");
    expect(await page.locator('.experiment[data-project="beta"]').innerText()).toContain("20");
    await alpha.locator(".sparkline canvas").waitFor();
    await session.screenshot("experiments", true);
    // A project opens its overview, whose "all traces" link opens its traces.
    await alpha.click();
    await page.waitForURL(/\/projects\/alpha$/);
    await page.getByRole("link", { name: "all traces" }).click();
    await page.waitForURL(/\/traces\?project=alpha/);
    await page.waitForSelector(".table-row");
  });

  test("a project's traces page through by keyset as the list is scrolled", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=alpha`);
    await page.waitForSelector(".table-row");
    expect(await loadedCount(page)).toBeLessThan(ALPHA);

    // Scroll down step by step, collecting every row that passes through view:
    // the pages must join with no trace missing and none repeated.
    const seen: string[] = [];
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      for (const row of await visibleRows(page)) if (!seen.includes(row.id)) seen.push(row.id);
      const atEnd = await page.locator(".table-body").evaluate((el) => {
        el.scrollBy(0, el.clientHeight * 0.8);
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      });
      if (atEnd && (await loadedCount(page)) === ALPHA && seen.length === ALPHA) break;
      await page.waitForTimeout(60);
    }
    expect(await loadedCount(page)).toBe(ALPHA);
    expect(new Set(seen).size).toBe(ALPHA);
    expect(seen.every((id) => id.startsWith("alpha-"))).toBe(true);
    await session.screenshot("traces-scrolled");
  });

  test("provider, status and text filters narrow the list and survive a reload", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=alpha`);
    await page.waitForSelector(".table-row");

    await page.selectOption('select[name="provider"]', "anthropic");
    await page.waitForURL(/provider=anthropic/);
    await page.waitForFunction(() => [...document.querySelectorAll(".table-row")].every((r) => (r as HTMLElement).innerText.includes("anthropic")));
    await page.reload();
    await page.waitForSelector(".table-row");
    expect(await page.locator('select[name="provider"]').inputValue()).toBe("anthropic");
    expect((await visibleRows(page)).every((r) => r.text.includes("claude-sonnet-4-20250514"))).toBe(true);

    await page.selectOption('select[name="status"]', "error");
    await page.waitForURL(/status=error/);
    await page.waitForFunction(() => [...document.querySelectorAll(".table-row")].every((r) => r.getAttribute("data-status") === "error"));
    // 46 of alpha's calls failed; the odd ones (3, 13, …, 223) went to Anthropic.
    expect(await loadedCount(page)).toBe(23);
    await session.screenshot("traces", true);

    await page.goto(`${kalmia.url}/traces`);
    await page.waitForSelector(".table-row");
    await page.fill('input[name="q"]', "needle");
    await page.waitForURL(/q=needle/);
    // Call 7 of each project asked about the needle.
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 2);
    expect((await visibleRows(page)).map((r) => r.id).sort()).toEqual(["alpha-7", "beta-7"]);
  });

  test("a filter that matches nothing says so", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=alpha&model=no-such-model`);
    await page.getByText("No traces match").waitFor();
    expect(await page.locator(".table-row").count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
