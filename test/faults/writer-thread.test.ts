import { expect, test } from "bun:test";
import { startInProcess } from "../harness/in-process.ts";
import { startOwnPostgres } from "../harness/own-postgres.ts";

// On Postgres the writer runs on a thread of its own (db/write/threaded-writer.ts): the buffer's bound,
// the counters in /api/health and the outcome an API request waits for must hold across the thread.
test("on Postgres, a full write buffer is refused at once and counted, and what was accepted is written once the database is back", async () => {
  const pg = await startOwnPostgres();
  const kalmia = await startInProcess({ DATABASE_URL: pg.url, KALMIA_WRITE_BUFFER_ROWS: "10" });
  const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, root_span_id: `${prefix}-0` }));
  try {
    expect((await kalmia.post("/api/v1/spans", { project: "thread", rows: rows("before", 3) })).status).toBe(200);
    await pg.pause();
    const held = kalmia.post("/api/v1/spans", { project: "thread", rows: rows("held", 10) });
    await Bun.sleep(300);
    const spilled = await kalmia.post("/api/v1/spans", { project: "thread", rows: rows("spill", 5) });
    expect(spilled.status).toBe(503);
    expect(((await spilled.json()) as any).error.message).toContain("write buffer is full");
    const during = (await kalmia.getJson("/api/health")).writer;
    expect(during).toMatchObject({ buffered_rows: 10, refused_rows: 5, dropped_rows: 0, committed_rows: 3 });

    await pg.resume();
    expect((await held).status).toBe(200);
    const trace = await kalmia.getJson("/api/v1/traces/held-0");
    expect(trace.span_count).toBe(10);
    const after = (await kalmia.getJson("/api/health")).writer;
    expect(after).toMatchObject({ buffered_rows: 0, refused_rows: 5, dropped_rows: 0, committed_rows: 13 });
    expect(after.retries).toBeGreaterThan(0);
    // Cleared by the commit that followed the outage.
    expect(after.last_error).toBeNull();
  } finally {
    await kalmia.stop();
    await pg.stop();
  }
});
