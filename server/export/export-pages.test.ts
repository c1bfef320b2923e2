import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { EXPORT_PAGE_TRACES, exportStream } from "./export-stream.ts";
import { ingestSynthetic } from "./testing/synthetic-traces.ts";

// PGlite builds each page inside its WASM heap, which never gives memory back: the page size is
// what bounds the embedded server's peak during an export (BENCHMARKS.md, "Footprint").
let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
  await ingestSynthetic(kalmia.url, 250, "paged");
});
afterAll(() => kalmia.stop());

const linesPerChunk = async (stream: ReadableStream<Uint8Array>) => {
  const counts: number[] = [];
  for await (const chunk of stream) counts.push(new TextDecoder().decode(chunk).split("\n").filter(Boolean).length);
  return counts;
};

test("an export on the embedded database reads its traces 100 a page, never the 500 a page Postgres reads", async () => {
  expect(kalmia.store.kind).toBe("pglite");
  const pages = await linesPerChunk(await exportStream(kalmia.store.db, {}, EXPORT_PAGE_TRACES[kalmia.store.kind]));
  expect(pages).toEqual([100, 100, 50]);
  expect(EXPORT_PAGE_TRACES.postgres).toBe(500);
});

test("the paged export still gives every trace exactly once, as the route streams it", async () => {
  const response = await fetch(`${kalmia.url}/api/v1/traces/export?project=paged`);
  const ids = (await response.text()).split("\n").filter(Boolean).map((line) => JSON.parse(line).id as string);
  expect(ids.length).toBe(250);
  expect(new Set(ids)).toEqual(new Set(Array.from({ length: 250 }, (_, n) => `exp-${n}`)));
});
