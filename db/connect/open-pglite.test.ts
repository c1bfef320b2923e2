import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { openDatabase } from "./open.ts";

describe("embedded PGlite", () => {
  test("a fresh data dir is created out of process and opens with small shared buffers and initdb's settings", async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    const [settings] = await first.rows<{ buffers: string; tz: string }>(
      sql`select current_setting('shared_buffers') as buffers, current_setting('timezone') as tz`,
    );
    expect(settings).toEqual({ buffers: "8MB", tz: "UTC" });
    expect(existsSync(`${dataDir}/pgdata.init`)).toBe(false);
    await first.close();
    const again = await openDatabase({ dataDir });
    expect(await again.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    await again.close();
  });

  test("a pgdata dir with files but no PG_VERSION is refused, and the data dir is unlocked again", async () => {
    const dataDir = tempDir();
    mkdirSync(`${dataDir}/pgdata`);
    writeFileSync(`${dataDir}/pgdata/stray`, "");
    await expect(openDatabase({ dataDir })).rejects.toThrow(/no PG_VERSION/);
    expect(existsSync(`${dataDir}/kalmia.pid`)).toBe(false);
  });
});
