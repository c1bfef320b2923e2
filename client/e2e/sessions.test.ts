// Sessions, users, chips and the metadata filter in the dashboard (issue 22), in Chromium, against a
// real Kalmia proxying to the fake provider.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream/start-fake-upstream.ts";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";

let upstream: FakeUpstream;
let session: DashboardSession;
const PROJECT = "support-bot";

beforeAll(async () => {
  upstream = await startFakeUpstream();
  session = await openDashboardSession({ OPENAI_BASE_URL: `${upstream.url}/v1` });
}, 120_000);
afterAll(async () => {
  await session?.close();
  await upstream?.stop();
});

/** One chat turn through the proxy, as a support bot sends it: the whole history, with its session. */
async function turn(text: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${session.kalmia.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: "Bearer sk-test",
      "x-kalmia-project": PROJECT,
      "x-kalmia-session-id": "ticket-1042",
      "x-kalmia-user-id": "customer-7",
      "x-kalmia-tags": "support,prod",
      "x-kalmia-metadata": '{"tenant":"acme"}',
      ...headers,
    },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: text }] }),
  });
  expect(response.status).toBe(200);
  await response.json();
  return response.headers.get("x-kalmia-trace-id")!;
}

/** Until the server has recorded the trace's end (recording follows the answer). */
async function recorded(id: string) {
  for (let i = 0; i < 400; i++) {
    const response = await fetch(`${session.kalmia.url}/api/v1/traces/${id}`);
    if (response.ok && ((await response.json()) as { status: string }).status !== "running") return;
    await Bun.sleep(25);
  }
  throw new Error(`trace ${id} was not recorded`);
}

describe("sessions and users in the dashboard", () => {
  test("a session of 5 turns sent through the proxy shows as one conversation, in order, with its totals; a 6th arrives live", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(await turn(`question ${i}`));
      await recorded(ids.at(-1)!);
    }
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/sessions`);
    await page.locator('.table-row[data-session-id="ticket-1042"]').click();
    await page.waitForURL(/\/sessions\/ticket-1042\?project=support-bot/);
    await page.locator(".session-turn").nth(4).waitFor();
    const turns = page.locator(".session-turn");
    expect(await turns.evaluateAll((items) => items.map((i) => i.getAttribute("data-trace-id")))).toEqual(ids);
    const asked = await page.locator(".session-turn .bubble-user").allInnerTexts();
    expect(asked).toEqual(["question 1", "question 2", "question 3", "question 4", "question 5"]);
    expect(await page.locator(".session-turn .bubble-assistant").count()).toBe(5);
    expect(await page.locator(".session-totals").getAttribute("data-turns")).toBe("5");
    expect(await page.locator(".session-totals").getAttribute("data-errors")).toBe("0");
    expect(await page.locator(".session-totals").innerText()).toMatch(/Turns\s+5/i);
    expect(await page.locator(".session-totals").innerText()).toContain("customer-7");
    await session.screenshot("session", true);

    // The live feed brings the next turn into the open session.
    await page.locator('.live-indicator[data-live="live"]').waitFor();
    const sixth = await turn("question 6");
    await page.locator(`.session-turn[data-trace-id="${sixth}"]`).waitFor();
    await page.waitForFunction(() => document.querySelector(".session-totals")!.getAttribute("data-turns") === "6");
    // Each turn links to its trace.
    await page.locator(".session-turn").first().locator(".turn-link").click();
    await page.waitForURL(new RegExp(`/traces/${ids[0]}$`));
    expect(session.pageErrors).toEqual([]);
  });

  test("a chip on a trace row filters the list by it; the metadata builder adds metadata.KEY=VALUE to the URL", async () => {
    await recorded(await turn("from someone else", { "x-kalmia-user-id": "customer-8", "x-kalmia-session-id": "ticket-2000", "x-kalmia-metadata": '{"tenant":"globex"}' }));
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=${PROJECT}`);
    await page.locator(".table-row").nth(6).waitFor();
    await page.locator('.table-row .chip[data-kind="user"]', { hasText: "customer-8" }).first().click();
    await page.waitForURL(/user=customer-8/);
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 1);
    // The active filter is a chip that removes it.
    await page.locator('.active-filters .chip[data-kind="user"]').click();
    await page.waitForFunction(() => !location.search.includes("user="));
    await page.locator(".table-row").nth(6).waitFor();

    await page.locator(".metadata-builder select").hover();
    await page.locator('.metadata-builder option[value="tenant"]').waitFor({ state: "attached" });
    await page.locator(".metadata-builder select").selectOption("tenant");
    await page.locator('.metadata-builder input[name="metadata-value"]').fill("globex");
    await page.locator('.metadata-builder button[type="submit"]').click();
    await page.waitForURL(/metadata\.tenant=globex/);
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 1);
    expect(await page.locator(".table-row").innerText()).toContain("customer-8");
    expect(session.pageErrors).toEqual([]);
  });

  test("the users page lists each user's traces, tokens, cost and last seen, and opens the list filtered to one", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/users?project=${PROJECT}`);
    const row = page.locator('.table-row[data-user-id="customer-7"]');
    await row.waitFor();
    expect(await row.innerText()).toContain("6");
    await page.locator("button", { hasText: "Cost" }).click();
    await page.waitForURL(/sort=cost_usd/);
    await row.click();
    await page.waitForURL(/\/traces\?user=customer-7&project=support-bot/);
    await page.waitForFunction(() => document.querySelectorAll(".table-row").length === 6);
    expect(session.pageErrors).toEqual([]);
  });
});
