import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";
import { HANDOFF_TRACE, handoffRows, MESSY_TRACE, messyRows, STALE_TRACE, staleRows } from "./messy-agent.ts";

/**
 * Issue 24's reproductions on the trace page, each at a desktop width and at 800 px: errors up
 * front, long content folded, images drawn, navigation by URL and keys, the span pane, running
 * and stale traces, and the narrow layout.
 */
let session: DashboardSession;
let trap: ReturnType<typeof Bun.serve>;
const trapHits: string[] = [];

beforeAll(async () => {
  trap = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (r) => (trapHits.push(new URL(r.url).pathname), new Response("no")) });
  session = await openDashboardSession();
  const url = session.kalmia.url;
  await postSpans(url, "support", messyRows(`http://127.0.0.1:${trap.port}/remote-chart.png`));
  await postSpans(url, "jobs", staleRows());
  await postSpans(url, "proxy", handoffRows());
});
afterAll(async () => {
  await session?.close();
  trap?.stop(true);
});

const WIDTHS = [
  { name: "1440 px", width: 1440, height: 900, narrow: false },
  { name: "800 px", width: 800, height: 900, narrow: true },
] as const;

async function open(path: string, width: number, height: number) {
  const { page, kalmia } = session;
  await page.setViewportSize({ width, height });
  await page.goto(`${kalmia.url}${path}`);
  await page.locator(".trace-header").waitFor();
}

/** At 800 px the page is tabbed: the span pane and the tree show on their own tabs. */
async function showTab(narrow: boolean, name: "Conversation" | "Tree" | "Span") {
  if (narrow) await session.page.getByRole("tab", { name }).click();
}

for (const size of WIDTHS) {
  describe(`trace page at ${size.name}`, () => {
    test("failed steps are up front: red tool result, the 429's message and status, an errors chip that steps through them", async () => {
      const { page } = session;
      await open(`/traces/${MESSY_TRACE}`, size.width, size.height);
      // The root delivered; three steps failed, and the header says both.
      expect(await page.locator(".trace-title .status").innerText()).toContain("ok · 3 failed steps");
      const chip = page.locator(".errors-chip");
      expect(await chip.innerText()).toContain("3 errors");

      const sql = page.locator('[data-tool-call-id="call_sql"]');
      await sql.scrollIntoViewIfNeeded();
      expect(await sql.locator(".tool-result").getAttribute("data-result")).toBe("error");
      const red = await sql.locator(".tool-result").evaluate((el) => getComputedStyle(el).borderLeftColor);
      expect(red).toBe("rgb(217, 45, 32)");
      const failedCall = page.locator(".call-error");
      await failedCall.scrollIntoViewIfNeeded();
      expect(await failedCall.innerText()).toContain("HTTP 429");
      expect(await failedCall.innerText()).toContain("Rate limit reached for gpt-4o");

      await chip.click();
      await page.waitForURL(/span=tool-sql/);
      await chip.click();
      await page.waitForURL(/span=llm-429/);
      expect(await chip.innerText()).toContain("2/3");
      if (!size.narrow) {
        // The conversation scrolled to the failed call; clicking a message there does not move it.
        const panel = page.locator(".conversation-panel");
        await page.waitForFunction(() => {
          const box = document.querySelector(".turn.failed")!.getBoundingClientRect();
          const view = document.querySelector(".conversation-panel")!.getBoundingClientRect();
          return box.top < view.bottom && box.bottom > view.top;
        });
        const scrolled = await panel.evaluate((el) => el.scrollTop);
        expect(scrolled).toBeGreaterThan(1000);
        await page.locator(".turn.failed").click();
        await page.waitForTimeout(100);
        expect(await panel.evaluate((el) => el.scrollTop)).toBe(scrolled);
      }
      await showTab(size.narrow, "Span");
      await page.locator('.span-detail[data-span-id="llm-429"]').waitFor();
      expect(await page.locator(".span-detail").innerText()).toContain("429");
      if (!size.narrow) {
        expect(await page.locator('.span-row[data-span-id="llm-429"]').getAttribute("aria-selected")).toBe("true");
        await session.screenshot("trace-errors", true);
      }
      expect(session.pageErrors).toEqual([]);
    });

    test("long content is folded: a 20 KB prompt and a 216 KB answer take a screen, not metres, until asked", async () => {
      const { page } = session;
      await open(`/traces/${MESSY_TRACE}`, size.width, size.height);
      const system = page.locator('.turn[data-role="system"]');
      expect((await system.boundingBox())!.height).toBeLessThan(1200);
      const answer = page.locator('.turn[data-role="assistant"]', { hasText: "Quarterly report" });
      expect((await answer.boundingBox())!.height).toBeLessThan(1500);
      // Markdown rendered: headings, lists, code and tables.
      expect(await answer.locator(".markdown h1").innerText()).toBe("Quarterly report");
      expect(await answer.locator(".markdown table").count()).toBeGreaterThan(0);
      expect(await answer.locator(".markdown pre code").count()).toBeGreaterThan(0);
      const textLength = await page.evaluate(() => document.body.textContent!.length);
      expect(textLength).toBeLessThan(40_000);

      await answer.getByRole("button", { name: /Show all/ }).click();
      expect((await answer.boundingBox())!.height).toBeGreaterThan(5000);
      await answer.getByRole("button", { name: "Show less" }).click();
      await page.getByRole("button", { name: "Show raw text" }).click();
      expect(await answer.locator(".markdown").count()).toBe(0);
      expect(await answer.innerText()).toContain("# Quarterly report");
      await page.getByRole("button", { name: "Render Markdown" }).click();
    });

    test("a base64 image is drawn as a thumbnail that opens full size; a remote one is a link that is never loaded", async () => {
      const { page } = session;
      await open(`/traces/${MESSY_TRACE}?span=llm-vision`, size.width, size.height);
      const thumb = page.locator(".image-thumb img");
      await thumb.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => (document.querySelector(".image-thumb img") as HTMLImageElement | null)?.complete);
      expect(await thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(290);
      const link = page.locator(".image-link");
      expect(await link.getAttribute("href")).toBe(`http://127.0.0.1:${trap.port}/remote-chart.png`);

      // The 300 KB image span selected: its base64 is cut in the span pane, the DOM stays small.
      await showTab(size.narrow, "Span");
      await page.locator('.span-detail[data-span-id="llm-vision"]').waitFor();
      // Open every level of the span's input, down to the image's base64 string.
      const closed = page.locator('.span-detail .json-toggle[aria-expanded="false"]');
      for (let i = 0; i < 40 && (await closed.count()) > 0; i++) await closed.first().click();
      expect(await page.locator(".span-detail").getByRole("button", { name: /show all \(\d+ KB\)/ }).count()).toBe(1);
      const textLength = await page.evaluate(() => document.body.textContent!.length);
      expect(textLength).toBeLessThan(40_000);

      await showTab(size.narrow, "Conversation");
      await thumb.click();
      const full = page.locator(".image-full img");
      await full.waitFor();
      expect(await full.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(290);
      if (!size.narrow) await session.screenshot("trace-image", true);
      await page.keyboard.press("Escape");
      await full.waitFor({ state: "detached" });
      expect(page.url()).toContain(`/traces/${MESSY_TRACE}`);
      expect(trapHits).toEqual([]);
    });

    test("?span= opens at that span; j/k and arrows move and fold; Esc goes back to the list", async () => {
      const { page, kalmia } = session;
      await open(`/traces/${MESSY_TRACE}?span=tool-lookup`, size.width, size.height);
      await showTab(size.narrow, "Tree");
      await page.locator('.span-row[data-span-id="tool-lookup"][aria-selected="true"]').waitFor();

      await page.keyboard.press("j");
      await page.waitForURL(/span=llm-2/);
      await page.keyboard.press("ArrowDown");
      await page.waitForURL(/span=llm-429/);
      await page.keyboard.press("k");
      await page.keyboard.press("ArrowUp");
      await page.waitForURL(/span=tool-lookup/);

      // ← on a leaf goes to its parent; ← again folds it (tool-sql is under llm-1).
      await page.keyboard.press("k");
      await page.waitForURL(/span=tool-sql/);
      await page.keyboard.press("ArrowLeft");
      await page.waitForURL(/span=llm-1/);
      await page.keyboard.press("ArrowLeft");
      await page.locator('.span-row[data-span-id="tool-sql"]').waitFor({ state: "detached" });
      expect(await page.locator('.span-row[data-span-id="llm-1"]').getAttribute("aria-expanded")).toBe("false");
      await page.keyboard.press("ArrowRight");
      await page.locator('.span-row[data-span-id="tool-sql"]').waitFor();

      // Esc returns to the list the trace was opened from.
      await page.goto(`${kalmia.url}/traces?project=support`);
      await page.locator(`[data-trace-id="${MESSY_TRACE}"]`).click();
      await page.locator(".trace-header").waitFor();
      await page.keyboard.press("j");
      await page.keyboard.press("Escape");
      await page.waitForURL(/\/traces\?project=support$/);
      await page.locator(`[data-trace-id="${MESSY_TRACE}"]`).waitFor();
    });

    test("the span pane has a summary line, copy buttons, a pretty JSON tool result and the trace's download", async () => {
      const { page } = session;
      await open(`/traces/${MESSY_TRACE}?span=llm-1`, size.width, size.height);
      expect(await page.locator('.facts [data-fact="Tokens"]').innerText()).toMatch(/in · .* out/);
      await showTab(size.narrow, "Span");
      const summary = page.locator(".span-summary");
      await summary.waitFor();
      const text = await summary.innerText();
      for (const part of ["llm", "gpt-4o", "2.0 s", "420 ms", "5,200 in · 30 out", "$0.01"]) expect(text).toContain(part);
      expect(await page.locator(".span-detail").getByRole("button", { name: "Copy id" }).count()).toBe(1);
      expect(await page.locator(".span-detail").getByRole("button", { name: "Copy span JSON" }).count()).toBe(1);

      await showTab(size.narrow, "Conversation");
      // A JSON result sent as a string is a collapsible tree.
      const lookup = page.locator('.tool-call[data-span-id="tool-lookup"] .tool-result');
      expect(await lookup.locator(".json-node").count()).toBeGreaterThan(1);
      await lookup.scrollIntoViewIfNeeded();
      expect(await lookup.innerText()).toContain("plan: pro");

      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download trace JSON" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(`trace-${MESSY_TRACE}.json`);
      const saved = JSON.parse(await Bun.file((await file.path())!).text()) as { spans: unknown[] };
      expect(saved.spans).toHaveLength(8);
    });

    test("a job stuck running is marked stale with its elapsed time; non-chat input is Input/Output; a tool handed to the caller says so", async () => {
      const { page } = session;
      await open(`/traces/${STALE_TRACE}`, size.width, size.height);
      expect((await page.locator(".trace-title .status").innerText()).toLowerCase()).toContain("stale");
      expect(await page.locator('.facts [data-fact="Elapsed"]').innerText()).toMatch(/so far/);
      // The turns are drawn a few a frame: wait for the input's text, not only its box.
      await page.locator('.turn[data-role="input"]', { hasText: "shard: 7" }).waitFor();
      expect(await page.locator('.turn[data-role="user"]').count()).toBe(0);
      expect(await page.locator('.turn[data-role="input"]').innerText()).toContain("shard: 7");
      if (!size.narrow) await session.screenshot("trace-stale", true);

      await open(`/traces/${HANDOFF_TRACE}`, size.width, size.height);
      const call = page.locator('[data-tool-call-id="call_wx"]');
      await call.filter({ hasText: "Result not in this trace" }).waitFor();
      expect(await call.innerText()).toContain("Result not in this trace");
      expect(await call.innerText()).not.toContain("Waiting for result");
    });

    test("the layout fits the width: three panes side by side, or one scroll with tabs below 1000 px", async () => {
      const { page } = session;
      await open(`/traces/${MESSY_TRACE}`, size.width, size.height);
      const tabs = page.locator(".trace-tabs");
      expect(await tabs.isVisible()).toBe(size.narrow);
      if (!size.narrow) {
        expect(await page.locator(".tree-panel").isVisible()).toBe(true);
        expect(await page.locator(".conversation-panel").isVisible()).toBe(true);
        // The tree pane is tall enough for more than a handful of rows.
        expect(await page.locator(".span-row").count()).toBe(8);
        return;
      }
      // One scroller: the conversation does not scroll inside the page.
      const conv = page.locator(".conversation-panel");
      expect(await conv.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
      expect(await page.locator(".tree-panel").isVisible()).toBe(false);
      await showTab(true, "Tree");
      expect(await page.locator(".tree-panel").isVisible()).toBe(true);
      expect(await conv.isVisible()).toBe(false);
      await session.screenshot("trace-narrow-tree", true);
      await page.locator('.span-row[data-span-id="llm-429"]').click();
      await page.locator('.span-detail[data-span-id="llm-429"]').waitFor();
      expect(await page.getByRole("tab", { name: "Span" }).getAttribute("aria-selected")).toBe("true");
      await session.screenshot("trace-narrow-span", true);
    });
  });
}
