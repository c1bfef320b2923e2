import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { ingestSynthetic } from "./testing/synthetic-traces.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
  // Four pages of the export's 500: the database goes away while later pages are still to come.
  await ingestSynthetic(kalmia.url, 2_000, "cut-export");
});
// The store is closed by the test already: only the listener is left to end.
afterAll(() => kalmia.stop().catch(() => kalmia.app.server?.stop(true)));

test("an export whose database fails part way ends with an error line, not a clean end that looks complete", async () => {
  const response = await fetch(`${kalmia.url}/api/v1/traces/export?project=cut-export`);
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = (await reader.read()).value ?? "";
  // The database closes under the export: a real failure of the next page's query.
  await kalmia.store.close();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const lines = text.trimEnd().split("\n");
  const last = JSON.parse(lines.at(-1)!);
  expect(last.error.type).toBe("export_failed");
  expect(last.error.message).toContain("incomplete");
  expect(lines.length - 1).toBeLessThan(2_000);
  expect(last.error.message).toContain(`after ${lines.length - 1} traces`);
});
