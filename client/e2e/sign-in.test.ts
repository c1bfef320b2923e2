import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";

const KEY = "kalmia-e2e-key";
let session: DashboardSession;

beforeAll(async () => {
  session = await openDashboardSession({ KALMIA_API_KEYS: KEY });
});
afterAll(async () => {
  await session?.close();
});

async function ingestWithKey(id: string) {
  const response = await fetch(`${session.kalmia.url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ id, project_id: "keyed", input: "hi", output: "hello" }),
  });
  expect(response.ok).toBe(true);
}

describe("dashboard on a server with API keys", () => {
  test("asks for a key, refuses a wrong one, and then shows traces live", async () => {
    const { page, kalmia } = session;
    await ingestWithKey("keyed-1");
    await page.goto(`${kalmia.url}/traces`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator(".table-row").count()).toBe(0);

    await page.fill('input[name="api_key"]', "wrong-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").innerText()).toContain("not valid");

    await page.fill('input[name="api_key"]', KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector('[data-trace-id="keyed-1"]');
    await page.waitForSelector('.live-indicator[data-live="live"]');
    await ingestWithKey("keyed-2");
    await page.waitForSelector('[data-trace-id="keyed-2"]');
    expect(session.pageErrors).toEqual([]);
  });
});
