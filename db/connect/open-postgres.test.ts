import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { freshPostgresDatabase, testPostgresUrl } from "../../test/harness/postgres.ts";
import { unixSocketOf } from "./connect-postgres.ts";
import { openDatabase } from "./open.ts";

describe("a Unix-socket DATABASE_URL, spelled as libpq allows", () => {
  test("the socket directory and port come from the query or from an encoded host; everything else is kept", () => {
    expect(unixSocketOf("postgres://kalmia@localhost:5433/traces?host=/run/postgresql")).toEqual({
      url: "postgres://kalmia@localhost/traces",
      socketPath: "/run/postgresql/.s.PGSQL.5433",
    });
    expect(unixSocketOf("postgresql:///traces?host=/run/postgresql/&port=6000").socketPath).toBe("/run/postgresql/.s.PGSQL.6000");
    expect(unixSocketOf("postgres://kalmia:p%40ss@%2Frun%2Fpostgresql/traces?sslmode=disable")).toEqual({
      url: "postgres://kalmia:p%40ss@localhost/traces?sslmode=disable",
      socketPath: "/run/postgresql/.s.PGSQL.5432",
    });
    const tcp = "postgres://kalmia@127.0.0.1:5432/traces?host=db.internal";
    expect(unixSocketOf(tcp)).toEqual({ url: tcp, socketPath: null });
  });

  const baseUrl = testPostgresUrl();
  describe.skipIf(!baseUrl)("on the test cluster", () => {
    let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
    let socketDir: string;
    beforeAll(async () => {
      database = await freshPostgresDatabase(baseUrl!);
      const admin = await openDatabase({ databaseUrl: database.url, dataDir: "" });
      const [row] = await admin.rows<{ dir: string }>(sql`select split_part(current_setting('unix_socket_directories'), ',', 1) as dir`);
      socketDir = row!.dir.trim();
      await admin.close();
    });
    afterAll(() => database.drop());

    test("Kalmia connects through the socket (no client address), migrates and writes", async () => {
      const url = new URL(database.url);
      url.hostname = "localhost";
      url.searchParams.set("host", socketDir);
      const opened = await openDatabase({ databaseUrl: url.toString(), dataDir: "" });
      try {
        const [me] = await opened.rows<{ addr: string | null }>(sql`select client_addr::text as addr from pg_stat_activity where pid = pg_backend_pid()`);
        expect(me!.addr).toBeNull();
        await opened.rows(sql`insert into projects (id, name) values ('socket-project', 'socket-project')`);
        const [project] = await opened.rows<{ name: string }>(sql`select name from projects where id = 'socket-project'`);
        expect(project!.name).toBe("socket-project");
      } finally {
        await opened.close();
      }
    });
  });
});
