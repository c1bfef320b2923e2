import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { bulkTraces } from "./testing/bulk-traces.ts";
import { ndjsonLines } from "./testing/ndjson-lines.ts";

const COUNT = 100_000;
// An export held in memory whole would grow the process by more than its
// own size (~136 MB of NDJSON here); streaming page by page should not.
// Measured after full collections: live memory, not garbage not yet reached.
const GROWTH_BOUND_MB = 80;
const LIVE_HEAP_BOUND_MB = 32;
const SAMPLE_EVERY = 50;

let source: InProcessKalmia;
let target: InProcessKalmia;
beforeAll(async () => {
  [source, target] = await Promise.all([startInProcess(), startInProcess()]);
});
afterAll(() => Promise.all([source.stop(), target.stop()]));

/** RSS and live heap (JS objects and the external memory they hold) after a full collection. */
function memoryMb() {
  Bun.gc(true);
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 1e6, heap: heapUsed / 1e6 };
}

test("exporting 100,000 traces streams them all with flat memory, and a sample re-ingests to identical traces", async () => {
  await bulkTraces(source.store, "bulk", COUNT);
  const response = await fetch(`${source.url}/api/v1/traces/export?project=bulk`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  let baseline = { rss: 0, heap: 0 };
  const peak = { rss: 0, heap: 0 };
  let bytes = 0;
  let expected = COUNT - 1;
  let outOfOrder = 0;
  const sample: string[] = [];
  for await (const line of ndjsonLines(response)) {
    bytes += line.length + 1;
    // Newest first: the ids come in exactly descending order, none skipped or repeated.
    if (!line.startsWith(`{"id" : "bulk-${expected}"`)) outOfOrder++;
    // A copy: a line split from a chunk can keep the whole chunk's text
    // alive, and 2,000 such lines would pin most of the export.
    if (expected % SAMPLE_EVERY === 0) sample.push(Buffer.from(line).toString());
    // The baseline is taken once the first pages are through, so the
    // database's and the runtime's warm-up do not count as growth.
    if (expected === COUNT - 2_000) baseline = memoryMb();
    if (expected % 10_000 === 0) {
      const now = memoryMb();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.heap = Math.max(peak.heap, now.heap);
    }
    expected--;
  }
  expect(expected).toBe(-1);
  expect(outOfOrder).toBe(0);
  expect(bytes / 1e6).toBeGreaterThan(GROWTH_BOUND_MB);
  console.log(`export: ${(bytes / 1e6).toFixed(0)} MB; RSS ${baseline.rss.toFixed(0)} → peak ${peak.rss.toFixed(0)} MB; live heap ${baseline.heap.toFixed(0)} → peak ${peak.heap.toFixed(0)} MB`);
  expect(peak.rss - baseline.rss).toBeLessThan(GROWTH_BOUND_MB);
  expect(peak.heap - baseline.heap).toBeLessThan(LIVE_HEAP_BOUND_MB);

  const reingest = await fetch(`${target.url}/api/v1/traces/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body: `[${sample.join(",")}]` });
  expect(reingest.status).toBe(200);
  expect(((await reingest.json()) as any).accepted).toBe(sample.length);
  for (const line of sample.slice(0, 200)) {
    const { id } = JSON.parse(line);
    const [a, b] = await Promise.all([source.getJson(`/api/v1/traces/${id}`), target.getJson(`/api/v1/traces/${id}`)]);
    const { experiment_id: _a, updated_at: _ua, ...left } = a;
    const { experiment_id: _b, updated_at: _ub, ...right } = b;
    expect(right).toEqual(left);
  }
  const again = new Map<string, unknown>();
  for await (const line of ndjsonLines(await fetch(`${target.url}/api/v1/traces/export`))) again.set(JSON.parse(line).id, JSON.parse(line));
  expect(again.size).toBe(sample.length);
  for (const line of sample) expect(again.get(JSON.parse(line).id)).toEqual(JSON.parse(line));
  // Setting up 100,000 traces takes a while on PGlite on a busy 2-core machine.
}, 300_000);
