import { expect, test } from "bun:test";
import { startInProcess } from "../harness/in-process.ts";

test("a full write buffer answers 503 with Retry-After, counts the drop, and loses nothing it accepted", async () => {
  const kalmia = await startInProcess({ KALMIA_WRITE_BUFFER_ROWS: "10" });
  const client = kalmia.store.database.client as { transaction: (...args: unknown[]) => Promise<unknown> };
  const realTransaction = client.transaction.bind(client);
  try {
    client.transaction = async () => {
      throw Object.assign(new Error("connection lost (injected fault)"), { code: "08006" });
    };
    const rows = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, root_span_id: `${prefix}-0` }));
    const first = kalmia.post("/api/v1/spans", { project: "overload", rows: rows("held", 10) });
    await Bun.sleep(200);
    const second = await kalmia.post("/api/v1/spans", { project: "overload", rows: rows("spill", 5) });
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("5");
    expect(((await second.json()) as any).error.message).toContain("write buffer is full");
    const health = await kalmia.getJson("/api/health");
    expect(health.writer.refused_rows).toBe(5);
    expect(health.writer.dropped_rows).toBe(0);
    expect(health.writer.buffered_rows).toBe(10);

    client.transaction = realTransaction;
    expect((await first).status).toBe(200);
    const trace = await kalmia.getJson("/api/v1/traces/held-0");
    expect(trace.span_count).toBe(10);
  } finally {
    client.transaction = realTransaction;
    await kalmia.stop();
  }
});
