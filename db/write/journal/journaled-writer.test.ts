import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import { tempDir } from "../../../test/harness/temp-dir.ts";
import { openStore, type Store } from "../../store.ts";
import { createWriter } from "../writer.ts";
import { openJournal } from "./journal.ts";
import type { JournalEntry } from "./journal-record.ts";
import { createJournaledWriter } from "./journaled-writer.ts";

// On PGlite, whose database cannot go down apart from the process: its driver is made to fail the
// way a lost connection fails, as in test/faults/db-outage.test.ts.

const entry = (id: string, rows = 2): JournalEntry => [
  { project: "journaled", source: "sdk", rows: Array.from({ length: rows }, (_, i) => ({ id: `${id}-${i}`, root_span_id: `${id}-0` })), traces: [] },
];

let store: Store;
let spool: string;
let client: { transaction: (...args: unknown[]) => Promise<unknown> };
let realTransaction: (...args: unknown[]) => Promise<unknown>;
const outage = () => {
  client.transaction = async () => {
    throw Object.assign(new Error("connection lost (injected fault)"), { code: "08006" });
  };
};

beforeEach(async () => {
  store = await openStore({ dataDir: tempDir() });
  spool = tempDir();
  client = store.database.client as typeof client;
  realTransaction = client.transaction.bind(client);
});
afterEach(async () => {
  client.transaction = realTransaction;
  await store.close();
});

async function start(maxBufferedRows = 1_000) {
  const writer = createWriter({ db: store.db, projects: store.projects, maxBufferedRows, log: () => {} });
  return createJournaledWriter({ writer, journal: await openJournal(spool), maxBufferedRows, log: () => {} });
}

const stored = async (id: string) => (await store.getTrace(id)) !== null;
async function until(check: () => Promise<boolean> | boolean) {
  for (let i = 0; i < 200 && !(await check()); i++) await Bun.sleep(50);
}
const segmentFiles = () => readdirSync(spool).filter((n) => n.endsWith(".journal"));

describe("the journaled writer", () => {
  test("a write committed in time is answered from its commit and never touches the journal", async () => {
    const writer = await start();
    expect(await writer.accept(entry("fast"), 10_000)).toEqual(["committed"]);
    expect(segmentFiles()).toEqual([]);
    await writer.drain(1_000);
  });

  test("a write not committed in time is answered queued once journaled; its commit then empties the journal", async () => {
    const writer = await start();
    outage();
    expect(await writer.accept(entry("slow"), 100)).toBe("queued");
    expect(writer.stats().journal_rows).toBe(2);
    expect(segmentFiles()).toHaveLength(1);
    client.transaction = realTransaction;
    await until(() => writer.stats().journal_rows === 0);
    expect(await stored("slow-0")).toBe(true);
    expect(segmentFiles()).toEqual([]);
    await writer.drain(1_000);
  });

  test("a stop during an outage keeps the queued writes and the proxy's rows in the journal; the next start writes them", async () => {
    const first = await start();
    outage();
    expect(await first.accept(entry("acked"), 100)).toBe("queued");
    void first.enqueue("journaled", "proxy", entry("proxied", 1)[0]!.rows, [], { background: true });
    await first.drain(300);
    expect(first.stats()).toMatchObject({ dropped_rows: 0, proxy_dropped_rows: 0 });

    client.transaction = realTransaction;
    const second = await start();
    await second.replay();
    await until(async () => (await stored("acked-0")) && (await stored("proxied-0")));
    expect([await stored("acked-0"), await stored("proxied-0")]).toEqual([true, true]);
    await until(() => second.stats().journal_rows === 0);
    expect(segmentFiles()).toEqual([]);
    await second.drain(1_000);
  });

  test("scores acknowledged as queued during an outage are kept in the journal and written on the next start", async () => {
    const first = await start();
    outage();
    const scores: JournalEntry = [{
      project: "journaled", source: "sdk", rows: [], traces: [],
      scores: [{ id: "queued-score", trace_id: "scored-later", name: "user_feedback", value: 0, comment: "wrong", source: "ui" }],
    }];
    expect(await first.accept(scores, 100)).toBe("queued");
    expect(first.stats().journal_rows).toBe(1);
    await first.drain(300);

    client.transaction = realTransaction;
    const second = await start();
    await second.replay();
    await until(() => second.stats().journal_rows === 0);
    await second.accept(entry("scored-later", 1).map((p) => ({ ...p, rows: [{ id: "scored-later", root_span_id: "scored-later" }] })), 10_000);
    expect((await store.getTrace("scored-later"))!.scores).toEqual([expect.objectContaining({ id: "queued-score", value: 0, comment: "wrong", source: "ui" })]);
    await second.drain(1_000);
  });

  test("a score queued during an outage stays pending (what a delete waits for) until it is written, also when replayed after a restart", async () => {
    const scoreIds = async () => (await store.database.rows<{ id: string }>(sql`select id from scores order by id`)).map((r) => r.id);
    const first = await start();
    outage();
    const given: JournalEntry = [{ project: "journaled", source: "sdk", rows: [], traces: [], scores: [{ id: "pending-score", trace_id: "t-p", name: "n", value: 1, source: "api" }] }];
    // Braintrust scores on an ingested row: their ids are made from where they sit.
    const ingested: JournalEntry = [{ project: "journaled", source: "ingest", rows: [{ id: "row-p", root_span_id: "t-p", scores: { helpful: 1 } }], traces: [] }];
    expect(await first.accept(given, 100)).toBe("queued");
    expect(await first.accept(ingested, 100)).toBe("queued");
    expect(await first.scoresSettled(["pending-score"], 200)).toBe(false);
    expect(await first.scoresSettled(["t-p\u001frow-p\u001fhelpful"], 200)).toBe(false);
    expect(await first.scoresSettled(["another-score"], 200)).toBe(true);
    client.transaction = realTransaction;
    expect(await first.scoresSettled(["pending-score", "t-p\u001frow-p\u001fhelpful"], 10_000)).toBe(true);
    expect(await scoreIds()).toEqual(["pending-score", "t-p\u001frow-p\u001fhelpful"]);

    outage();
    const replayed: JournalEntry = [{ project: "journaled", source: "sdk", rows: [], traces: [], scores: [{ id: "replayed-score", trace_id: "t-r", name: "n", value: 1, source: "api" }] }];
    expect(await first.accept(replayed, 100)).toBe("queued");
    await first.drain(300);
    client.transaction = realTransaction;
    const second = await start();
    void second.replay();
    // Pending from the start of the replay, before its entry is even read.
    expect(await second.scoresSettled(["replayed-score"], 10_000)).toBe(true);
    expect(await scoreIds()).toContain("replayed-score");
    await second.drain(1_000);
  });

  test("a journal larger than the write buffer is replayed in full, a part at a time", async () => {
    const first = await start();
    outage();
    const ids = Array.from({ length: 30 }, (_, i) => `big${i}`);
    await Promise.all(ids.map((id) => first.accept(entry(id, 5), 50)));
    await first.drain(100);

    client.transaction = realTransaction;
    const second = await start(20);
    await second.replay();
    await until(() => second.stats().journal_rows === 0);
    for (const id of ids) expect(await stored(`${id}-0`)).toBe(true);
    expect(second.stats().refused_rows).toBe(0);
    await second.drain(1_000);
  });
});
