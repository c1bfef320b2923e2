import { describe, expect, test } from "bun:test";
import { appendFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/harness/temp-dir.ts";
import { openJournal } from "./journal.ts";
import type { JournalEntry } from "./journal-record.ts";

const entry = (id: string, rows = 1): JournalEntry => [
  { project: "journal", source: "sdk", rows: Array.from({ length: rows }, (_, i) => ({ id: `${id}-${i}`, root_span_id: id, input: "x\ny" })), traces: [] },
];
const segmentFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".journal"));

async function recoveredEntries(dir: string) {
  const journal = await openJournal(dir);
  const entries: JournalEntry[] = [];
  let damaged = 0;
  for await (const segment of journal.recovered()) {
    entries.push(...segment.entries);
    damaged += segment.damaged;
  }
  await journal.close();
  return { entries, damaged };
}

describe("the journal", () => {
  test("entries appended and never settled are recovered, whole, by the next open", async () => {
    const dir = tempDir();
    const journal = await openJournal(dir);
    await Promise.all([journal.append(entry("a", 3)), journal.append(entry("b"))]);
    await journal.append(entry("c"));
    expect(journal.stats().rows).toBe(5);
    await journal.close();
    const { entries } = await recoveredEntries(dir);
    expect(entries.map((e) => e[0]!.rows[0]!.id).sort()).toEqual(["a-0", "b-0", "c-0"]);
    expect(entries.find((e) => e[0]!.rows[0]!.id === "a-0")).toEqual(entry("a", 3));
  });

  test("a segment file is deleted once every entry in it is settled", async () => {
    const dir = tempDir();
    // Small segments: the first fills and a second starts.
    const journal = await openJournal(dir, { segmentBytes: 200 });
    const refs = [];
    for (const id of ["a", "b", "c", "d"]) refs.push(await journal.append(entry(id)));
    expect(segmentFiles(dir).length).toBeGreaterThan(1);
    for (const ref of refs.slice(0, 3)) journal.settle(ref);
    expect(journal.stats().rows).toBe(1);
    journal.settle(refs[3]!);
    expect(segmentFiles(dir)).toEqual([]);
    expect(journal.stats()).toEqual({ rows: 0, segments: 0 });
    await journal.close();
  });

  test("a torn last line (a crash during an append) is skipped; the entries before it are recovered", async () => {
    const dir = tempDir();
    const journal = await openJournal(dir);
    await journal.append(entry("whole"));
    await journal.close();
    appendFileSync(join(dir, segmentFiles(dir)[0]!), '1a2b3c4d [{"project":"journal","sou');
    const { entries, damaged } = await recoveredEntries(dir);
    expect(entries).toEqual([entry("whole")]);
    expect(damaged).toBe(1);
  });

  test("recovered entries settled are deleted with their segment; unsettled ones stay for the next open", async () => {
    const dir = tempDir();
    const first = await openJournal(dir, { segmentBytes: 100 });
    for (const id of ["a", "b", "c"]) await first.append(entry(id));
    await first.close();
    const second = await openJournal(dir);
    let kept = 0;
    for await (const segment of second.recovered()) {
      segment.refs.forEach((ref, i) => (segment.entries[i]![0]!.rows[0]!.id === "b-0" ? kept++ : second.settle(ref)));
    }
    await second.close();
    expect(kept).toBe(1);
    const { entries } = await recoveredEntries(dir);
    expect(entries).toEqual([entry("b")]);
  });

  test("a second server on the same spool directory is refused", async () => {
    const dir = tempDir();
    const journal = await openJournal(dir);
    // The lock is a pid file, and this process holds it: it is made another live process's.
    writeFileSync(join(dir, "kalmia.pid"), String(process.ppid));
    await expect(openJournal(dir)).rejects.toThrow(/KALMIA_SPOOL_DIR .* is in use by another Kalmia server/);
    await journal.close();
  });
});
