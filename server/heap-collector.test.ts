import { afterAll, expect, test } from "bun:test";
import { startInProcess } from "../test/harness/in-process.ts";
import { freshPostgresDatabase, testPostgresUrl } from "../test/harness/postgres.ts";
import { createHeapCollector } from "./heap-collector.ts";


test("a heap grown past the threshold since the last collection is collected, and the next growth is counted from what it left", () => {
  // The heap as the collector sees it, scripted: the runtime's own collections come and go in a shared
  // test process, so a real heap cannot say whether this collector collected.
  let heap = 100 * 1024 * 1024;
  let collections = 0;
  const collector = createHeapCollector(8 * 1024 * 1024, () => heap, () => {
    collections++;
    heap = 101 * 1024 * 1024;
  });
  heap += 7 * 1024 * 1024;
  expect(collector.collectIfGrown()).toBe(false);
  heap += 2 * 1024 * 1024;
  expect(collector.collectIfGrown()).toBe(true);
  expect(collections).toBe(1);
  heap += 7 * 1024 * 1024; // 108 MB: under 8 MB past the 101 MB the collection left
  expect(collector.collectIfGrown()).toBe(false);
  heap += 2 * 1024 * 1024;
  expect(collector.collectIfGrown()).toBe(true);
  expect(collections).toBe(2);
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
