/**
 * The trace page on a big trace: a 2,000-span agent run carrying about 1 MB of content (a 216 KB
 * Markdown answer, a 300 KB base64 image, and ~250 characters in every other span), in headless
 * Chromium against a real server process.
 *
 *   bun bench/trace-page.ts [--spans 2000] [--runs 5] [--steps 60]
 *
 * first contentful paint: the browser's own mark (the page frame and "Loading trace…").
 * trace drawn: navigation start (performance.now() in the page) to the frame after the span tree
 * and the first conversation message are in the DOM, in a fresh page each run; with when the
 * trace's API response ended, and that API call timed alone from the bench process.
 * j/k step: a keydown "j" to the frame after the next span is selected (URL, tree, span pane).
 * Long tasks (> 50 ms) seen by a PerformanceObserver during the steps are counted.
 */
import { parseArgs } from "node:util";
import { launchBrowser } from "../client/e2e/browser.ts";
import { ensureDashboardBuilt } from "../client/e2e/build-dashboard.ts";
import { postSpans } from "../client/e2e/kalmia-api.ts";
import { longAnswer, noisePng } from "../client/e2e/messy-agent.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: { spans: { type: "string", default: "2000" }, runs: { type: "string", default: "5" }, steps: { type: "string", default: "60" }, profile: { type: "string" }, "profile-steps": { type: "string" } },
});
const SPANS = Number(values.spans);
const runs = Number(values.runs);
const steps = Number(values.steps);
const TRACE = "bench-big-trace";

function rows(): object[] {
  const base = Date.now() / 1000 - SPANS;
  const filler = "The agent checks the ledger, compares the totals and writes down what it found. ".repeat(3);
  const out: object[] = [{ id: TRACE, root_span_id: TRACE, span_attributes: { name: "big-agent", type: "task" }, input: "start", metrics: { start: base, end: base + SPANS } }];
  for (let i = 1; i < SPANS; i++) {
    const llm = i % 2 === 1;
    const parent = i > 10 && i % 10 !== 0 ? `${TRACE}-${i - (i % 10)}` : TRACE;
    out.push({
      id: `${TRACE}-${i}`,
      root_span_id: TRACE,
      span_parents: [parent],
      span_attributes: { name: llm ? `step ${i}` : "search", type: llm ? "llm" : "tool" },
      input: llm
        ? [{ role: "user", content: i === 1 ? [{ type: "text", text: "What is on this screenshot?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${noisePng()}` } }] : `step ${i}: ${filler}` }]
        : { query: `q${i}` },
      output: llm ? { role: "assistant", content: i === 3 ? longAnswer() : `answer ${i}: ${filler}` } : { hits: i },
      metadata: llm ? { provider: "openai", model: "gpt-4o" } : {},
      metrics: { start: base + i, end: base + i + 0.8 },
    });
  }
  return out;
}

const round = (n: number) => +n.toFixed(1);
const figures = (samples: number[]) => {
  const s = summarize(samples);
  return { p50: round(s.p50), p95: round(s.p95), max: round(Math.max(...samples)) };
};

await ensureDashboardBuilt();
const kalmia = await startKalmia();
try {
  const seeded = rows();
  const contentBytes = JSON.stringify(seeded).length;
  for (let i = 0; i < seeded.length; i += 500) await postSpans(kalmia.url, "bench-trace", seeded.slice(i, i + 500));

  // The API call behind the page, alone: how much of the first paint is the server's.
  const apiMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await (await fetch(`${kalmia.url}/api/v1/traces/${TRACE}`)).json();
    apiMs.push(performance.now() - started);
  }

  const browser = await launchBrowser();
  const paints: number[] = [];
  const apiDone: number[] = [];
  const contentfulPaint: number[] = [];
  const stepsMs: number[] = [];
  let longTasks = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      // --profile FILE: a Chromium CPU profile of the last page load, for finding where the time goes.
      const cdp = values.profile && run === runs - 1 ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.start");
      }
      await page.goto(`${kalmia.url}/traces/${TRACE}`, { waitUntil: "commit" });
      const paint = await page.evaluate(
        () =>
          new Promise<{ at: number; api: number; fcp: number }>((resolve) => {
            const fcp = () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
            const api = () => (performance.getEntriesByType("resource").find((e) => e.name.includes("/api/v1/traces/")) as PerformanceResourceTiming | undefined)?.responseEnd ?? NaN;
            const check = () =>
              document.querySelector(".span-row") && document.querySelector(".turn")
                ? requestAnimationFrame(() => resolve({ at: performance.now(), api: api(), fcp: fcp() }))
                : requestAnimationFrame(check);
            check();
          }),
      );
      paints.push(paint.at);
      if (cdp) await Bun.write(values.profile!, JSON.stringify((await cdp.send("Profiler.stop")).profile));
      apiDone.push(paint.api);
      contentfulPaint.push(paint.fcp);
      if (run === runs - 1) {
        const stepsCdp = values["profile-steps"] ? await page.context().newCDPSession(page) : null;
        if (stepsCdp) {
          await stepsCdp.send("Profiler.enable");
          await stepsCdp.send("Profiler.start");
        }
        const result = await page.evaluate(async (count) => {
          const long: number[] = [];
          new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration))).observe({ type: "longtask" });
          const selected = () => document.querySelector('.span-row[aria-selected="true"]')?.getAttribute("data-span-id") ?? null;
          const times: number[] = [];
          for (let i = 0; i < count; i++) {
            const before = selected();
            const started = performance.now();
            document.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
            await new Promise<void>((resolve) => {
              const check = () => (selected() !== before && document.querySelector(`.span-detail[data-span-id="${selected()}"]`) ? resolve() : requestAnimationFrame(check));
              check();
            });
            await new Promise((r) => requestAnimationFrame(r));
            times.push(performance.now() - started);
          }
          await new Promise((r) => setTimeout(r, 100));
          return { times, long };
        }, steps);
        stepsMs.push(...result.times);
        if (stepsCdp) await Bun.write(values["profile-steps"]!, JSON.stringify((await stepsCdp.send("Profiler.stop")).profile));
        longTasks = result.long.filter((d) => d > 50).length;
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(
    JSON.stringify({
      bench: "trace-page",
      spans: SPANS,
      content_bytes: contentBytes,
      first_contentful_paint_ms: figures(contentfulPaint),
      trace_drawn_ms: figures(paints),
      trace_fetched_at_ms: figures(apiDone),
      api_get_trace_ms: figures(apiMs),
      jk_step_ms: figures(stepsMs),
      long_tasks_over_50ms_during_steps: longTasks,
      runs,
      steps,
      machine: machine(),
    }),
  );
} finally {
  await kalmia.stop();
}
