import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";
import { weatherAgentRows } from "./weather-agent.ts";

let session: DashboardSession;

beforeAll(async () => {
  session = await openDashboardSession();
});
afterAll(async () => {
  await session?.close();
});

describe("trace page", () => {
  test("the docs' weather-agent run shows as a conversation with two green tool spans", async () => {
    const { page, kalmia } = session;
    await postSpans(kalmia.url, "weather-agent", weatherAgentRows("weather-run-1"));
    await page.goto(`${kalmia.url}/traces/weather-run-1`);
    await page.waitForSelector(".turn");

    const users = page.locator('.turn[data-role="user"]');
    const assistants = page.locator('.turn[data-role="assistant"]');
    expect(await users.count()).toBe(1);
    expect(await users.first().innerText()).toContain("Compare weather in Tokyo and New York");
    expect(await assistants.count()).toBe(2);
    expect(await assistants.last().innerText()).toContain("New York is colder at 9°C with rain");

    // Each tool call is shown with the result that answered it (paired by tool_use id).
    const tokyo = page.locator('[data-tool-call-id="toolu_tokyo"]');
    expect(await tokyo.innerText()).toContain("get_weather");
    // A JSON result is a collapsible tree, not one minified line.
    expect(await tokyo.locator(".tool-result .json-node").count()).toBeGreaterThan(0);
    expect(await tokyo.locator(".tool-result").innerText()).toMatch(/temp_c: 18/);
    expect(await page.locator('[data-tool-call-id="toolu_nyc"] .tool-result').innerText()).toContain("rain");

    const toolRows = page.locator('.span-row[data-span-type="tool"]');
    expect(await toolRows.count()).toBe(2);
    const iconColors = await toolRows.locator(".span-icon").evaluateAll((icons) => icons.map((i) => getComputedStyle(i).fill));
    expect(iconColors).toEqual(["rgb(18, 161, 80)", "rgb(18, 161, 80)"]);
    expect(await page.locator('.span-row[data-span-type="llm"]').count()).toBe(2);
    await session.screenshot("trace", true);
  });

  test("choosing a span shows its input, output and metadata", async () => {
    const { page } = session;
    await page.locator('.span-row[data-span-type="tool"]').first().click();
    const detail = page.locator(".span-detail");
    await detail.locator(".span-detail-head", { hasText: "get_weather" }).waitFor();
    expect(await detail.innerText()).toContain("Tokyo");
    await detail.getByRole("button", { name: "Metadata" }).click();
    await page.locator('.span-row[data-span-type="llm"]').first().click();
    // The model shows in the summary line and in the metadata opened above.
    await detail.locator('[data-fact="Model"]', { hasText: "claude-sonnet-4-20250514" }).waitFor();
    await detail.locator(".json-leaf", { hasText: "claude-sonnet-4-20250514" }).first().waitFor();
  });

  test("an OpenAI-shaped run pairs tool calls with tool messages by id", async () => {
    const { page, kalmia } = session;
    const now = Date.now() / 1000;
    const call = { id: "call_abc", type: "function", function: { name: "lookup_order", arguments: '{"order_id": 42}' } };
    await postSpans(kalmia.url, "shop", [
      { id: "oa-root", root_span_id: "oa-root", span_attributes: { name: "order-agent", type: "task" }, metrics: { start: now - 3, end: now } },
      {
        id: "oa-llm",
        root_span_id: "oa-root",
        span_parents: ["oa-root"],
        span_attributes: { name: "openai.chat.completions.create", type: "llm" },
        input: [
          { role: "system", content: "You are a support agent." },
          { role: "user", content: "Where is order 42?" },
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", tool_call_id: "call_abc", content: "shipped yesterday" },
        ],
        output: { role: "assistant", content: "Order 42 shipped yesterday." },
        metadata: { provider: "openai", model: "gpt-4o" },
        metrics: { start: now - 2, end: now - 1 },
      },
    ]);
    await page.goto(`${kalmia.url}/traces/oa-root`);
    await page.waitForSelector('.turn[data-role="system"]');
    expect(await page.locator('.turn[data-role="system"]').innerText()).toContain("You are a support agent.");
    expect(await page.locator('[data-tool-call-id="call_abc"] .tool-result').innerText()).toContain("shipped yesterday");
    expect(await page.locator('.turn[data-role="assistant"]').last().innerText()).toContain("Order 42 shipped yesterday.");
    expect(session.pageErrors).toEqual([]);
  });
});
