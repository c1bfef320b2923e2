import { expect, test } from "bun:test";
import type { Sql } from "postgres";
import { openStore, type Store } from "../../db/store.ts";
import { createWriter } from "../../db/write/writer.ts";
import { freshPostgresDatabase, testPostgresUrl } from "../../test/harness/postgres.ts";
import { createPostgresTransport } from "./postgres-transport.ts";
import type { LiveChange } from "./transport.ts";

const baseUrl = testPostgresUrl();

test.skipIf(!baseUrl)("with nobody watching, a replica passes over notified events without reading the log, and once watched delivers what follows", async () => {
  const database = await freshPostgresDatabase(baseUrl!);
  const store = await openStore({ databaseUrl: database.url, dataDir: "" });
  try {
    // Every read the transport makes goes through store.db.select.
    let reads = 0;
    const counted = new Proxy(store.db, {
      get(target, key, receiver) {
        if (key === "select") reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    let watched = false;
    const delivered: LiveChange[] = [];
    const transport = createPostgresTransport({ client: store.database.client as Sql, store: { ...store, db: counted } as Store, wanted: () => watched });
    await transport.start((change) => delivered.push(change));
    const writer = createWriter({ db: store.db, projects: store.projects, logEvents: true, log: () => {} });
    const write = (id: string) => writer.enqueue("feed", "sdk", [{ id, root_span_id: id, span_attributes: { name: id, type: "task" } }]);

    reads = 0;
    for (let i = 0; i < 5; i++) expect(await write(`unwatched-${i}`)).toBe("committed");
    await Bun.sleep(300);
    expect(reads).toBe(0);

    watched = true;
    expect(await write("watched")).toBe("committed");
    for (let i = 0; i < 50 && delivered.length === 0; i++) await Bun.sleep(100);
    await transport.close();
    expect(delivered.flatMap((change) => change.traces.map((trace) => (trace as { id: string }).id))).toEqual(["watched"]);
    expect(reads).toBeGreaterThan(0);
  } finally {
    await store.close();
    await database.drop();
  }
});
