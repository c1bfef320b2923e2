import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { freshPostgresDatabase, testPostgresUrl } from "../../test/harness/postgres.ts";
import { runInTransaction } from "./batch-transaction.ts";
import { openDatabase, type Database } from "../connect/open.ts";

const baseUrl = testPostgresUrl();

describe.skipIf(!baseUrl)("the writer's pipelined transaction on Postgres", () => {
  let dropDatabase: () => Promise<void>;
  let database: Database;
  beforeAll(async () => {
    const fresh = await freshPostgresDatabase(baseUrl!);
    dropDatabase = fresh.drop;
    database = await openDatabase({ databaseUrl: fresh.url, dataDir: "" });
  });
  afterAll(async () => {
    await database.close();
    await dropDatabase();
  });

  test("the second step is made from the first step's rows, and both commit together", async () => {
    await database.rows(sql`create table if not exists steps (n int)`);
    const rows = await runInTransaction(database.db, [sql`select 41 as n`], ([[first]]) => [
      sql`insert into steps values (${Number(first!.n) + 1}) returning n`,
    ]);
    expect(rows).toEqual([[{ n: 42 }]]);
    expect(await database.rows(sql`select n from steps`)).toEqual([{ n: 42 }]);
  });

  test("a failed statement rolls back the whole transaction and the connection stays usable", async () => {
    await database.rows(sql`create table if not exists kept (n int primary key)`);
    const failed = runInTransaction(database.db, [sql`insert into kept values (1)`], () => [sql`insert into kept values (1)`]);
    await expect(failed).rejects.toMatchObject({ code: "23505" });
    expect(await database.rows(sql`select count(*)::int as n from kept`)).toEqual([{ n: 0 }]);
    expect(await runInTransaction(database.db, [], () => [sql`select 1 as one`])).toEqual([[{ one: 1 }]]);
  });

  test("a connection lost mid-transaction fails the batch at once (never hangs it), and the pool recovers", async () => {
    const lost = runInTransaction(database.db, [sql`select pg_terminate_backend(pg_backend_pid())`], () => [sql`select 1`]);
    await expect(lost).rejects.toBeDefined();
    for (let i = 0; i < 12; i++) {
      expect(await runInTransaction(database.db, [], () => [sql`select ${i}::int as i`])).toEqual([[{ i }]]);
    }
  });
});
