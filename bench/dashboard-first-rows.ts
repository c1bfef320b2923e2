/**
 * Time for the traces page to show its first rows with many spans stored:
 * from navigation start (performance.now() in the page) to the first trace
 * row drawn, in headless Chromium against a real server process.
 *
 *   bun bench/dashboard-first-rows.ts [--spans 1000000] [--per-trace 10] [--runs 5] [--data-dir DIR]
 *
 * Seeds the spans through POST /api/v1/spans (the SDK path), all in one
 * project, then loads /traces?project=… (and /traces, every project) `runs`
 * times each in fresh pages. Storage: PGlite unless DATABASE_URL is set;
 * with --data-dir the PGlite data is kept, and a later run on the same
 * directory skips seeding what is already there.
 */
import { parseArgs } from "node:util";
import { launchBrowser } from "../client/e2e/browser.ts";
import { ensureDashboardBuilt } from "../client/e2e/build-dashboard.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    spans: { type: "string", default: "1000000" },
    "per-trace": { type: "string", default: "10" },
    runs: { type: "string", default: "5" },
    "data-dir": { type: "string" },
  },
});
const totalSpans = Number(values.spans);
const perTrace = Number(values["per-trace"]);
const runs = Number(values.runs);
const project = "bench-big";
const BATCH_TRACES = 400;

await ensureDashboardBuilt();
const kalmia = await startKalmia({
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  ...(values["data-dir"] ? { KALMIA_DATA_DIR: values["data-dir"] } : {}),
});

function batchRows(firstTrace: number, traces: number): object[] {
  const rows: object[] = [];
  const now = Date.now() / 1000;
  for (let t = firstTrace; t < firstTrace + traces; t++) {
    const root = `big-${t}`;
    rows.push({ id: root, root_span_id: root, span_attributes: { name: `agent run ${t}`, type: "task" }, input: `task ${t}`, output: "done", metrics: { start: now - 2, end: now } });
    for (let s = 1; s < perTrace; s++) {
      rows.push({
        id: `${root}-${s}`,
        root_span_id: root,
        span_parents: [root],
        span_attributes: { name: s % 2 ? "chat" : "lookup", type: s % 2 ? "llm" : "tool" },
        input: s % 2 ? [{ role: "user", content: `step ${s}` }] : { q: s },
        output: s % 2 ? { role: "assistant", content: "ok" } : { hits: s },
        metadata: s % 2 ? { provider: "openai", model: "gpt-4o" } : {},
        metrics: { start: now - 2 + s * 0.01, end: now - 1.9 + s * 0.01, prompt_tokens: 20, completion_tokens: 5 },
      });
    }
  }
  return rows;
}

async function post(rows: object[]) {
  const response = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ project, rows }) });
  if (response.status !== 200) throw new Error(`seeding answered ${response.status}: ${await response.text()}`);
}

/** First rows in a fresh browser profile (cold), then on a reload in the same browser (warm cache). */
async function firstRowsMs(path: string): Promise<{ cold: number; warm: number }> {
  const browser = await launchBrowser();
  try {
    const measure = async () => {
      const page = await browser.context.newPage();
      await page.goto(`${kalmia.url}${path}`, { waitUntil: "commit" });
      const at = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const check = () => (document.querySelector(".table-row") ? resolve(performance.now()) : requestAnimationFrame(check));
            check();
          }),
      );
      await page.close();
      return at;
    };
    const cold = await measure();
    return { cold, warm: await measure() };
  } finally {
    await browser.close();
  }
}

try {
  const traces = Math.ceil(totalSpans / perTrace);
  const seedStart = performance.now();
  const seeded = (await fetch(`${kalmia.url}/api/v1/traces/big-${traces - 1}`)).ok;
  for (let t = 0; !seeded && t < traces; t += BATCH_TRACES * 2) {
    await Promise.all([post(batchRows(t, Math.min(BATCH_TRACES, traces - t))), t + BATCH_TRACES < traces ? post(batchRows(t + BATCH_TRACES, Math.min(BATCH_TRACES, traces - t - BATCH_TRACES))) : null]);
  }
  // Rows are acknowledged once committed; wait until the last one lists.
  while (!(await (await fetch(`${kalmia.url}/api/v1/traces/big-${traces - 1}`)).ok)) await Bun.sleep(100);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const apiTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await (await fetch(`${kalmia.url}/api/v1/traces?project=${project}&limit=100`)).json();
    apiTimes.push(performance.now() - started);
  }
  const projectPage: { cold: number; warm: number }[] = [];
  const allPage: { cold: number; warm: number }[] = [];
  for (let i = 0; i < runs; i++) {
    projectPage.push(await firstRowsMs(`/traces?project=${project}`));
    allPage.push(await firstRowsMs("/traces"));
  }
  const round = (n: number) => +n.toFixed(1);
  const figures = (samples: number[]) => ({ p50: round(summarize(samples).p50), max: round(Math.max(...samples)) });
  const api = summarize(apiTimes);
  console.log(
    JSON.stringify({
      bench: "dashboard-first-rows",
      spans: traces * perTrace,
      traces,
      storage: process.env.DATABASE_URL ? "postgres" : "pglite",
      seed_spans_per_s: seeded ? "already seeded" : Math.round((traces * perTrace) / seedSeconds),
      first_rows_project_cold_ms: figures(projectPage.map((r) => r.cold)),
      first_rows_project_warm_ms: figures(projectPage.map((r) => r.warm)),
      first_rows_all_cold_ms: figures(allPage.map((r) => r.cold)),
      first_rows_all_warm_ms: figures(allPage.map((r) => r.warm)),
      api_first_page_ms: { p50: round(api.p50), p95: round(api.p95) },
      runs,
      machine: machine(),
    }),
  );
} finally {
  await kalmia.stop();
}
