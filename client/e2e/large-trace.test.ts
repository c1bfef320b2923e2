import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

const SPANS = 2000;
let session: DashboardSession;

/** A long agent run: a root task, then LLM calls and tool spans alternating. */
function longRun(traceId: string) {
  const base = Date.now() / 1000 - SPANS;
  const rows: object[] = [{ id: traceId, root_span_id: traceId, span_attributes: { name: "long-agent", type: "task" }, input: "start", metrics: { start: base, end: base + SPANS } }];
  for (let i = 1; i < SPANS; i++) {
    const llm = i % 2 === 1;
    rows.push({
      id: `${traceId}-${i}`,
      root_span_id: traceId,
      span_parents: [traceId],
      span_attributes: { name: llm ? `step ${i}` : "search", type: llm ? "llm" : "tool" },
      input: llm ? [{ role: "user", content: `step ${i}: what next?` }] : { query: `q${i}` },
      output: llm ? { role: "assistant", content: `answer ${i}` } : { hits: i },
      metadata: llm ? { provider: "openai", model: "gpt-4o" } : {},
      metrics: { start: base + i, end: base + i + 0.8 },
    });
  }
  return rows;
}

beforeAll(async () => {
  session = await openDashboardSession();
  await postSpans(session.kalmia.url, "big", longRun("long-run"));
});
afterAll(async () => {
  await session?.close();
});

describe("a 2,000-span trace", () => {
  test("opens with a virtualised span tree and a paged conversation", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces/long-run`);
    await page.getByText(`Spans (${SPANS})`).waitFor();
    // Only the rows in view exist in the DOM, however long the trace.
    const rendered = await page.locator(".span-row").count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);

    await page.locator(".span-rows").evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator(`.span-row[data-span-id="long-run-${SPANS - 1}"]`).waitFor();
    await page.locator(`.span-row[data-span-id="long-run-${SPANS - 1}"]`).click();
    await page.locator(".span-detail").getByText(`answer ${SPANS - 1}`).waitFor();

    const more = page.getByRole("button", { name: /Show \d+ more messages/ });
    await more.waitFor();
    await more.click();
    await page.getByText(`step ${SPANS - 1}: what next?`).waitFor();
    expect(session.pageErrors).toEqual([]);
  });
});
