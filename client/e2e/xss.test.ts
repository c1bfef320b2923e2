import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDashboardSession, type DashboardSession } from "./dashboard-session.ts";
import { postSpans } from "./kalmia-api.ts";

/**
 * Captured prompts and outputs are attacker-controlled text. Every payload
 * below points at a local trap server: if the dashboard ran or loaded any of
 * it, the trap (or a dialog, or a global) would show it.
 */
let session: DashboardSession;
let trap: ReturnType<typeof Bun.serve>;
const trapHits: string[] = [];
const dialogs: string[] = [];
const pageRequests: string[] = [];

function corpus(trapUrl: string): string[] {
  return [
    `<script>window.__xss = "script"; fetch("${trapUrl}/script")</script>`,
    `<img src="${trapUrl}/img.png" onerror="window.__xss='img'; alert('img')">`,
    `<img src=x onerror=alert(document.domain)>`,
    `<a href="javascript:alert('link')">click me</a>`,
    `[click here](javascript:alert('md-link'))`,
    `![tracking pixel](${trapUrl}/markdown.png)`,
    `<iframe src="${trapUrl}/iframe"></iframe>`,
    `<svg onload="alert('svg')"><circle r="5"/></svg>`,
    `<style>@import url("${trapUrl}/style.css");</style><link rel="stylesheet" href="${trapUrl}/link.css">`,
    `"><script src="${trapUrl}/attr-break.js"></script>`,
  ];
}

beforeAll(async () => {
  trap = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      trapHits.push(new URL(request.url).pathname);
      return new Response("trap");
    },
  });
  session = await openDashboardSession();
  session.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  session.page.on("request", (request) => pageRequests.push(request.url()));

  const trapUrl = `http://127.0.0.1:${trap.port}`;
  const payloads = corpus(trapUrl);
  const all = payloads.join("\n");
  const now = Date.now() / 1000;
  await postSpans(session.kalmia.url, "xss-corpus", [
    { id: "xss-trace", root_span_id: "xss-trace", span_attributes: { name: payloads[1], type: "task" }, input: all, output: payloads[0], metrics: { start: now - 3, end: now } },
    {
      id: "xss-llm",
      root_span_id: "xss-trace",
      span_parents: ["xss-trace"],
      span_attributes: { name: payloads[3], type: "llm" },
      input: [
        { role: "system", content: payloads[5] },
        { role: "user", content: [{ type: "text", text: all }, { type: "image", source: { type: "url", url: `${trapUrl}/image-block.png` } }] },
      ],
      output: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: payloads[0] },
          { type: "text", text: all },
          { type: "tool_use", id: "toolu_xss", name: payloads[2], input: { html: payloads[6], [payloads[7]!]: payloads[4] } },
        ],
      },
      metadata: { provider: "anthropic", model: payloads[8], [payloads[1]!]: payloads[9] },
      error: { message: payloads[1], type: payloads[0] },
      metrics: { start: now - 2, end: now - 1 },
    },
    {
      id: "xss-tool",
      root_span_id: "xss-trace",
      span_parents: ["xss-trace"],
      span_attributes: { name: payloads[2], type: "tool" },
      input: { html: payloads[6] },
      output: all,
      metrics: { start: now - 0.9, end: now - 0.5 },
    },
  ]);
});

afterAll(async () => {
  await session?.close();
  trap?.stop(true);
});

/** Nothing ran and nothing loaded: no dialog, no global, no trap hit, no injected element. */
async function expectInert(): Promise<void> {
  const { page } = session;
  await page.waitForTimeout(300); // let any image/script that was (wrongly) created try to load
  expect(dialogs).toEqual([]);
  expect(trapHits).toEqual([]);
  expect(pageRequests.filter((url) => url.includes(`:${trap.port}`))).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  const injected = await page.evaluate(() => ({
    elements: document.querySelectorAll("#root img, #root script, #root iframe, #root style, #root link, #root object, #root embed").length,
    jsLinks: [...document.querySelectorAll("#root a")].filter((a) => a.getAttribute("href")?.trim().toLowerCase().startsWith("javascript")).length,
    foreignSvgs: [...document.querySelectorAll("#root svg")].filter((svg) => !svg.classList.contains("icon")).length,
    handlerAttributes: [...document.querySelectorAll("#root *")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
  }));
  expect(injected).toEqual({ elements: 0, jsLinks: 0, foreignSvgs: 0, handlerAttributes: 0 });
}

describe("captured content is shown as text, never run", () => {
  test("the traces list shows the payload names as text", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces?project=xss-corpus`);
    await page.waitForSelector('[data-trace-id="xss-trace"]');
    expect(await page.locator('[data-trace-id="xss-trace"]').innerText()).toContain("onerror=");
    await expectInert();
  });

  test("the trace page shows every payload as text and runs or loads none of it", async () => {
    const { page, kalmia } = session;
    await page.goto(`${kalmia.url}/traces/xss-trace`);
    await page.waitForSelector(".turn");
    const conversation = await page.locator(".conversation").innerText();
    expect(conversation).toContain("<script>window.__xss");
    expect(conversation).toContain("[click here](javascript:alert('md-link'))");
    expect(conversation).toContain("![tracking pixel](");
    // A remote image is a link to click, never an <img> that loads (expectInert counts them).
    expect(conversation).toContain(`Image: http://127.0.0.1:${trap.port}/image-block.png`);
    // The assistant's text went through Markdown (marked + DOMPurify): rendered, and still inert.
    expect(await page.locator(".turn[data-role='assistant'] .markdown").count()).toBeGreaterThan(0);
    await page.locator(".turn", { hasText: "click me" }).first().click();
    // Open every collapsed section of the selected LLM span (metadata keys are payloads too).
    await page.locator('.span-row[data-span-type="llm"]').click();
    for (const name of ["Metadata", "Metrics"]) await page.locator(".span-detail").getByRole("button", { name }).click();
    expect(await page.locator(".span-detail").innerText()).toContain("<style>@import");
    await page.locator(".thinking summary").click();
    await expectInert();
    await session.screenshot("trace-xss");
    // And as raw text: the same payloads, shown verbatim.
    await page.getByRole("button", { name: "Show raw text" }).click();
    expect(await page.locator(".turn[data-role='assistant']").first().innerText()).toContain("<iframe src=");
    await expectInert();
    await page.getByRole("button", { name: "Render Markdown" }).click();
  });

  test("dashboard pages carry a Content-Security-Policy that forbids inline and foreign code", async () => {
    const response = await fetch(`${session.kalmia.url}/traces/xss-trace`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    // Inline data: images (captured base64) are drawable; nothing remote is.
    expect(csp).toMatch(/img-src 'self' data:(;|$)/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(session.pageErrors).toEqual([]);
  });
});
