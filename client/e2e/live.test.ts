import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { ingestTraces, postSpans } from "./kalmia-api.ts";

let session: DashboardSession;

beforeAll(async () => {
  session = await openDashboardSession();
});
afterAll(async () => {
  await session?.close();
});

const now = () => Date.now() / 1000;

/** A trace in the docs' ingest format ("Direct Trace Ingestion"). */
function docsTrace(id: string, model: string) {
  const provider = model.startsWith("claude") ? "anthropic" : "openai";
  return {
    id,
    project_id: "live",
    input: [{ role: "user", content: "Hello" }],
    output: "Hi there!",
    metadata: { provider, model },
    spans: [
      {
        id: `${id}-span`,
        span_id: `${id}-span`,
        root_span_id: `${id}-span`,
        name: `${provider} chat`,
        input: [{ role: "user", content: "Hello" }],
        output: "Hi there!",
        span_attributes: { type: "llm" },
        metadata: { provider, model },
        metrics: { prompt_tokens: 10, completion_tokens: 5 },
      },
    ],
  };
}

/** Marks the loaded document, so a reload (which would drop the mark) can be detected. */
async function markDocument(): Promise<void> {
  await session.page.evaluate(() => ((window as unknown as { __kalmiaMark: string }).__kalmiaMark = "same-document"));
}
async function sameDocument(): Promise<boolean> {
  return session.page.evaluate(() => (window as unknown as { __kalmiaMark?: string }).__kalmiaMark === "same-document");
}

describe("live dashboard", () => {
  test("a trace ingested while the traces page is open appears without a reload", async () => {
    const { page, kalmia } = session;
    await ingestTraces(kalmia.url, [docsTrace("before-open", "gpt-4o")]);
    await page.goto(`${kalmia.url}/traces?project=live`);
    await page.waitForSelector('[data-trace-id="before-open"]');
    await page.waitForSelector('.live-indicator[data-live="live"]');
    await markDocument();

    await ingestTraces(kalmia.url, [docsTrace("arrived-live", "claude-sonnet-4-20250514")]);
    const row = page.locator('[data-trace-id="arrived-live"]');
    await row.waitFor();
    expect(await row.innerText()).toContain("claude-sonnet-4-20250514");
    // Newest first: the live arrival slid in above the one that was there.
    const order = await page.locator(".table-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id")));
    expect(order).toEqual(["arrived-live", "before-open"]);
    expect(await sameDocument()).toBe(true);
    await session.screenshot("traces-live");
  });

  test("a running trace updates in place when it finishes", async () => {
    const { page, kalmia } = session;
    const start = now();
    const root = { id: "run-1", root_span_id: "run-1", span_attributes: { name: "slow-agent", type: "task" }, input: "go" };
    await postSpans(kalmia.url, "live", [{ ...root, metrics: { start } }]);
    const row = page.locator('[data-trace-id="run-1"]');
    await row.waitFor();
    await page.waitForSelector('[data-trace-id="run-1"][data-status="running"]');
    await postSpans(kalmia.url, "live", [{ ...root, output: "done", metrics: { start, end: start + 1.5 } }]);
    await page.waitForSelector('[data-trace-id="run-1"][data-status="ok"]');
    expect(await page.locator('[data-trace-id="run-1"]').count()).toBe(1);
    expect(await sameDocument()).toBe(true);
  });

  test("a streaming call in progress shows its text growing on the trace page", async () => {
    const { page, kalmia } = session;
    const start = now();
    const llm = (text: string, done = false) => ({
      id: "stream-llm",
      root_span_id: "stream-llm",
      span_attributes: { name: "openai.chat.completions.create", type: "llm" },
      input: [{ role: "user", content: "Tell me about the weather" }],
      output: { role: "assistant", content: text },
      metadata: { provider: "openai", model: "gpt-4o", stream: true },
      metrics: done ? { start, end: now() } : { start },
      ...(done ? {} : { status: "running" }),
    });
    await postSpans(kalmia.url, "live", [llm("The weather")]);
    await page.goto(`${kalmia.url}/traces/stream-llm`);
    const answer = page.locator('.turn[data-role="assistant"]');
    await answer.getByText("The weather").waitFor();
    await markDocument();
    expect(await page.locator(".turn.streaming .stream-cursor").count()).toBe(1);

    const growing = ["The weather in Tokyo", "The weather in Tokyo is mild", "The weather in Tokyo is mild and sunny today."];
    for (const text of growing) {
      await postSpans(kalmia.url, "live", [llm(text)]);
      await answer.getByText(text, { exact: true }).waitFor();
    }
    await session.screenshot("trace-streaming", true);
    await postSpans(kalmia.url, "live", [llm(growing.at(-1)!, true)]);
    await page.waitForSelector(".stream-cursor", { state: "detached" });
    expect(await answer.innerText()).toContain("The weather in Tokyo is mild and sunny today.");
    expect(await sameDocument()).toBe(true);
    expect(session.pageErrors).toEqual([]);
  });

  test("the experiments page picks up a new project without a reload", async () => {
    const { page, kalmia } = session;
    await page.goto(kalmia.url);
    await page.waitForSelector('.experiment[data-project="live"]');
    await markDocument();
    await postSpans(kalmia.url, "brand-new-project", [{ id: "np-1", root_span_id: "np-1", span_attributes: { name: "first", type: "task" }, metrics: { start: now() - 1, end: now() } }]);
    await page.waitForSelector('.experiment[data-project="brand-new-project"]');
    expect(await sameDocument()).toBe(true);
  });
});
