import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

let session: DashboardSession;

/** Three finished agent runs of one project; run 1 has a tool step. */
function runs(project: string) {
  const base = Date.now() / 1000 - 600;
  return [0, 1, 2].flatMap((i) => {
    const id = `${project}-${i}`;
    const root = { id, root_span_id: id, span_attributes: { name: `run ${i}`, type: "task" }, input: `question ${i}`, output: `answer ${i}`, metrics: { start: base + i * 60, end: base + i * 60 + 2 } };
    if (i !== 1) return [root];
    return [root, { id: `${id}-tool`, root_span_id: id, span_parents: [id], span_attributes: { name: "lookup", type: "tool" }, output: "42", metrics: { start: base + 60.5, end: base + 61 } }];
  });
}

beforeAll(async () => {
  session = await openDashboardSession();
  await postSpans(session.kalmia.url, "scored", runs("scored"));
  // Scores from an evaluator, so the project has score names before anyone gives feedback.
  const response = await fetch(`${session.kalmia.url}/api/v1/scores`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      { trace_id: "scored-0", name: "accuracy", value: 0.9 },
      { trace_id: "scored-2", name: "accuracy", value: 0.4 },
      { trace_id: "scored-1", name: "accuracy", value: 0.7, comment: "close enough" },
    ]),
  });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await session?.close();
});

describe("scores in the dashboard", () => {
  test("a thumbs-down with a comment on a trace shows in the list's column and survives a reload", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces/scored-1`);
    const panel = page.locator('section[aria-label="Scores"]');
    await panel.locator('[data-score-name="accuracy"]').waitFor();
    expect(await panel.locator('[data-score-name="accuracy"]').innerText()).toContain("close enough");

    await panel.locator('textarea[name="comment"]').fill("It made up the citation.");
    await panel.locator('button[data-thumb="down"]').click();
    const feedback = panel.locator('[data-score-name="user_feedback"]');
    await feedback.waitFor();
    expect(await feedback.innerText()).toContain("It made up the citation.");
    expect(await feedback.getAttribute("data-score-source")).toBe("ui");
    expect(await panel.locator('button[data-thumb="down"]').getAttribute("aria-pressed")).toBe("true");

    await page.goto(`${kalmia.url}/traces?project=scored`);
    const cell = page.locator('[data-trace-id="scored-1"] [data-score="user_feedback"]');
    await cell.waitFor();
    expect(await cell.innerText()).toBe("0");
    expect(await page.locator('[data-trace-id="scored-1"] [data-score="accuracy"]').innerText()).toBe("0.7");
    expect(await page.locator('[data-trace-id="scored-0"] [data-score="user_feedback"]').innerText()).toBe("—");
    await session.screenshot("traces-score-columns");

    await page.reload();
    await cell.waitFor();
    expect(await cell.innerText()).toBe("0");
    await page.goto(`${kalmia.url}/traces/scored-1`);
    await panel.locator('[data-score-name="user_feedback"]').waitFor();
    expect(await panel.locator('[data-score-name="user_feedback"]').innerText()).toContain("It made up the citation.");
    expect(await panel.locator('button[data-thumb="down"]').getAttribute("aria-pressed")).toBe("true");
    await session.screenshot("trace-scores-panel");
  });

  test("a thumb flipped up updates the one feedback score; a span's feedback is its own", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces/scored-1`);
    const panel = page.locator('section[aria-label="Scores"]');
    await panel.locator('[data-score-name="user_feedback"]').waitFor();
    await panel.locator('button[data-thumb="up"]').click();
    await page.waitForFunction(() => document.querySelector('button[data-thumb="up"]')?.getAttribute("aria-pressed") === "true");

    await page.locator(".span-row", { hasText: "lookup" }).first().click();
    await panel.locator('input[name="feedback-target"]').nth(1).check();
    await panel.locator('button[data-thumb="down"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-score-name="user_feedback"]').length === 2);

    const stored = await (await fetch(`${kalmia.url}/api/v1/traces/scored-1`)).json() as { scores: { name: string; span_id: string | null; value: number }[] };
    const feedback = stored.scores.filter((s) => s.name === "user_feedback").map((s) => [s.span_id, s.value]);
    expect(feedback.sort()).toEqual([["scored-1-tool", 0], [null, 1]].sort());
    expect(session.pageErrors).toEqual([]);
  });

  test("the score columns sort the loaded rows, and the score filter keeps the traces in its range", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=scored`);
    await page.locator('[data-score="accuracy"]').first().waitFor();
    const ids = () => page.locator(".table-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id")));
    await page.click('button[data-score-sort="accuracy"]');
    await page.waitForURL(/score_sort=accuracy%3Adesc|score_sort=accuracy:desc/);
    expect(await ids()).toEqual(["scored-0", "scored-1", "scored-2"]);
    await page.click('button[data-score-sort="accuracy"]');
    await page.waitForURL(/asc/);
    expect(await ids()).toEqual(["scored-2", "scored-1", "scored-0"]);

    await page.goto(`${kalmia.url}/traces?project=scored&score_name=accuracy&score_min=0.5`);
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 2);
    expect((await ids()).sort()).toEqual(["scored-0", "scored-1"]);
    expect(session.pageErrors).toEqual([]);
  });
});
