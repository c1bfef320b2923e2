import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { openStore } from "../../db/store.ts";
import { createWriter } from "../../db/write/writer.ts";
import { startOwnPostgres } from "../harness/own-postgres.ts";

// postgres.js 3.4.9 can leave a pooled `reserve()` unanswered forever when connections close and
// reconnect while it waits (porsager/postgres#1195). The writer's transactions once reserved their
// connection from the pool (here two connections, three batches at a time), and after a few outages
// their batches waited forever; they now run on connections of their own (db/connect/transaction-lanes.ts).
// The writer must come through every outage with every batch written.
test("after repeated outages, every batch the writer held is written (its transactions never wait on the pool forever)", async () => {
  const pg = await startOwnPostgres();
  const store = await openStore({ databaseUrl: pg.url, dataDir: "", poolSize: 2 });
  const writer = createWriter({ db: store.db, projects: store.projects, partitions: store.partitions, concurrency: 3, log: () => {} });
  try {
    const outcomes: Promise<unknown>[] = [];
    const write = (round: number) => {
      for (let i = 0; i < 6; i++) {
        const id = `r${round}-${i}`;
        outcomes.push(writer.enqueue("outage", "sdk", [{ id, root_span_id: id }]));
      }
    };
    write(0);
    await Promise.all(outcomes);
    for (let round = 1; round <= 3; round++) {
      await pg.pause();
      write(round);
      await Bun.sleep(700);
      write(round + 10);
      await pg.resume();
      write(round + 20);
      await Bun.sleep(300);
    }
    // Far longer than the writer's retries need once the database is back (1 s at most apart).
    const settled = await Promise.race([Promise.all(outcomes), Bun.sleep(30_000).then(() => "still waiting")]);
    expect(settled).toEqual(outcomes.map(() => "committed"));
    const [stored] = await store.database.rows<{ n: number }>(sql`select count(*)::int as n from spans`);
    expect(stored!.n).toBe(outcomes.length);
  } finally {
    await writer.drain(5_000);
    await store.close();
    await pg.stop();
  }
}, 60_000);
