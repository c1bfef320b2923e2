/**
 * The traces list scrolled through 10,000 rows in headless Chromium against a real server
 * process: long tasks (PerformanceObserver "longtask", each a main-thread block of 50 ms or more)
 * and frame intervals while scrolling (issue 24's benchmark: no long task over 50 ms, 60 fps).
 *
 *   bun bench/list-scroll.ts [--traces 10000] [--step 600] [--width 1440]
 *
 * Pass 1 scrolls from the top to the last row by `step` px a frame while the list pages itself in
 * (100 rows a page, as a reader scrolling down makes it); pass 2 scrolls back up with every row loaded.
 * Also the renderer's own main-thread time per frame (CDP Performance metrics), which a shared
 * machine's load inflates far less than the wall clock. Storage: PGlite unless DATABASE_URL is set.
 */
import { parseArgs } from "node:util";
import { launchBrowser } from "../client/e2e/browser.ts";
import { ensureDashboardBuilt } from "../client/e2e/build-dashboard.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    traces: { type: "string", default: "10000" },
    step: { type: "string", default: "600" },
    width: { type: "string", default: "1440" },
  },
});
const traceCount = Number(values.traces);
const step = Number(values.step);
const project = "bench-scroll";

await ensureDashboardBuilt();
const kalmia = await startKalmia(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});

async function seed() {
  const now = Date.now() / 1000 - traceCount;
  for (let first = 0; first < traceCount; first += 1000) {
    const rows = Array.from({ length: Math.min(1000, traceCount - first) }, (_, k) => {
      const i = first + k;
      return {
        id: `scroll-${i}`, root_span_id: `scroll-${i}`,
        span_attributes: { name: `support agent run ${i}${i % 9 === 0 ? " for the accounts payable ledger of every subsidiary" : ""}`, type: "llm" },
        metadata: { provider: "openai", model: i % 3 ? "gpt-4o-mini" : "gpt-4o" },
        metrics: { start: now + i, end: now + i + 0.3 + (i % 50) / 10, prompt_tokens: 500 + (i % 900), completion_tokens: 80, ...(i % 4 ? {} : { cost_usd: 0.000_002 }) },
      };
    });
    const response = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ project, rows }) });
    if (response.status !== 200) throw new Error(`seeding answered ${response.status}: ${await response.text()}`);
  }
}

type Pass = { frames: number[]; longTasks: number[]; ms: number };
type Busy = { task_ms_per_frame: number; script_ms_per_frame: number; style_layout_ms_per_frame: number };

try {
  await seed();
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: Number(values.width), height: 900 });
    await page.goto(`${kalmia.url}/traces?project=${project}&live=off`);
    await page.locator(".table-row").first().waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: "longtask" });
    });
    // One pass: `step` px a frame towards the end (down: until every row is loaded and shown).
    const scrollPass = (down: boolean, total: number, px: number) =>
      page.evaluate(
        ({ down, total, px }) =>
          new Promise<Pass>((resolve) => {
            const w = window as unknown as { longTasks: number[] };
            w.longTasks = [];
            const body = document.querySelector(".table-body") as HTMLElement;
            const loaded = () => document.querySelector(".table-foot")?.textContent?.startsWith(`${total.toLocaleString("en-US")} traces loaded`);
            const frames: number[] = [];
            const started = performance.now();
            let last = started;
            const tick = (now: number) => {
              frames.push(now - last);
              last = now;
              const atEnd = down ? body.scrollTop + body.clientHeight >= body.scrollHeight - 1 : body.scrollTop <= 0;
              if (atEnd && (!down || loaded())) return resolve({ frames: frames.slice(1), longTasks: [...w.longTasks], ms: now - started });
              body.scrollTop += down ? px : -px;
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
        { down, total, px },
      );
    // The renderer's main-thread time (CDP Performance metrics, seconds): what the scroll cost the
    // page itself, apart from the waiting a shared machine adds to the wall clock.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const busy = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { task: get("TaskDuration"), script: get("ScriptDuration"), layout: get("LayoutDuration") + get("RecalcStyleDuration") };
    };
    const measured = async (down: boolean) => {
      const before = await busy();
      const pass = await scrollPass(down, traceCount, step);
      const after = await busy();
      const perFrame = (key: "task" | "script" | "layout") => +(((after[key] - before[key]) * 1000) / pass.frames.length).toFixed(2);
      return { ...pass, busy: { task_ms_per_frame: perFrame("task"), script_ms_per_frame: perFrame("script"), style_layout_ms_per_frame: perFrame("layout") } };
    };
    const down = await measured(true);
    await page.waitForTimeout(500);
    const up = await measured(false);
    const rowsLeft = await page.locator(".table-row").count();

    const round = (n: number) => +n.toFixed(1);
    const report = (pass: Pass & { busy: Busy }) => {
      const frames = summarize(pass.frames);
      return {
        seconds: round(pass.ms / 1000),
        frames: pass.frames.length,
        fps: round(pass.frames.length / (pass.ms / 1000)),
        frame_ms: { p50: round(frames.p50), p95: round(frames.p95), max: round(Math.max(...pass.frames)) },
        long_tasks: pass.longTasks.length,
        long_task_max_ms: round(Math.max(0, ...pass.longTasks)),
        long_tasks_over_50ms: pass.longTasks.filter((d) => d > 50).length,
        main_thread: pass.busy,
      };
    };
    console.log(
      JSON.stringify({
        bench: "list-scroll",
        traces: traceCount,
        step_px_per_frame: step,
        viewport: `${values.width}x900`,
        storage: process.env.DATABASE_URL ? "postgres" : "pglite",
        down_paging_in: report(down),
        up_all_loaded: report(up),
        rows_in_dom: rowsLeft,
        machine: machine(),
      }),
    );
  } finally {
    await browser.close();
  }
} finally {
  await kalmia.stop();
}
