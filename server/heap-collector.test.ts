import { afterAll, expect, test } from "bun:test";
import { startInProcess } from "../test/harness/in-process.ts";
import { freshPostgresDatabase, testPostgresUrl } from "../test/harness/postgres.ts";
import { createHeapCollector } from "./heap-collector.ts";

const heapBytes = () => process.memoryUsage().heapUsed + process.memoryUsage().external;

test("a heap grown by garbage past the threshold is collected, and the garbage leaves it", () => {
  // From a collected heap: what earlier tests in this process left is not counted against the growth.
  Bun.gc(true);
  const collector = createHeapCollector(8 * 1024 * 1024);
  let garbage: string[] | null = Array.from({ length: 4_000 }, (_, i) => `${i}`.padEnd(8_192, "x"));
  const grown = heapBytes();
  expect(garbage.length).toBe(4_000);
  garbage = null;
  expect(collector.collectIfGrown()).toBe(true);
  expect(heapBytes()).toBeLessThan(grown - 16 * 1024 * 1024);
});

test("a heap that did not grow since the last collection is left alone", () => {
  const collector = createHeapCollector(8 * 1024 * 1024);
  expect(collector.collectIfGrown()).toBe(false);
});

const embedded = await startInProcess();
afterAll(() => embedded.stop());

test("the embedded server runs the collector", () => {
  expect(embedded.store.kind).toBe("pglite");
  expect(embedded.heapCollector).not.toBeNull();
});

// A server on Postgres is sized as a service, and a full collection pauses every request.
const postgresUrl = testPostgresUrl();
test.if(postgresUrl !== null)("a server on Postgres leaves its heap to the runtime", async () => {
  const database = await freshPostgresDatabase(postgresUrl!);
  const onPostgres = await startInProcess({ DATABASE_URL: database.url });
  try {
    expect(onPostgres.store.kind).toBe("postgres");
    expect(onPostgres.heapCollector).toBeNull();
  } finally {
    await onPostgres.stop();
    await database.drop();
  }
});
