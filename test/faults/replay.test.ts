import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../harness/in-process.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

const BATCHES = 40;
const ROWS = 50;

function batch(b: number) {
  const now = Date.now() / 1000;
  return Array.from({ length: ROWS }, (_, i) => ({
    id: `replay-${b}-${i}`,
    root_span_id: `replay-trace-${b}`,
    span_parents: i ? [`replay-${b}-0`] : [],
    span_attributes: { name: `step ${i}`, type: "task" },
    input: { b, i, pad: "x".repeat(400) },
    metrics: { start: now, end: now + 1 },
  }));
}

/** Sends a body but cuts the connection after a random share of its bytes. */
async function sendCut(body: string) {
  const bytes = new TextEncoder().encode(body);
  const cut = Math.floor(Math.random() * bytes.length);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut));
      setTimeout(() => controller.error(new Error("connection dropped")), 5);
    },
  });
  await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit).catch(() => {});
}

test("ingestion replayed three times with connections dropped mid-request stores each span once", async () => {
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from({ length: BATCHES }, async (_, b) => {
        const rows = batch(b);
        const body = JSON.stringify({ project: "replay", rows });
        rows.forEach((r) => sent.add(r.id));
        if (Math.random() < 0.4) return sendCut(body);
        const response = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (response.status === 200) rows.forEach((r) => acknowledged.add(r.id));
      }),
    );
  }
  const traces: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await kalmia.getJson(`/api/v1/traces?project=replay&limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    traces.push(...page.traces);
    cursor = page.next_cursor;
  } while (cursor);
  const stored: string[] = [];
  for (const trace of traces) {
    const full = await kalmia.getJson(`/api/v1/traces/${trace.id}`);
    expect(full.span_count).toBe(full.spans.length);
    stored.push(...full.spans.map((s: any) => s.id));
  }
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(new Set(stored).size).toBe(stored.length);
  for (const id of acknowledged) expect(stored).toContain(id);
  for (const id of stored) expect(sent.has(id)).toBe(true);
  // A cut request stores nothing: all-or-nothing per body.
  const partialTraces = traces.filter((t) => t.span_count !== ROWS);
  expect(partialTraces).toEqual([]);
});
