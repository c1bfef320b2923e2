import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { bunPath, startKalmia } from "../test/harness/start-kalmia.ts";
import { tempDir } from "../test/harness/temp-dir.ts";

const ingest = (url: string, id: string) =>
  fetch(`${url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, project_id: "lifecycle", output: id }),
  });

describe("the server process", () => {
  test("SIGTERM drains, closes the database and exits 0; the data is there on the next start", async () => {
    const dataDir = tempDir();
    const first = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    expect((await ingest(first.url, "before-term")).status).toBe(200);
    expect(await first.stop("SIGTERM")).toBe(0);
    const second = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    expect((await fetch(`${second.url}/api/v1/traces/before-term`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  test("a data directory left by kill -9 opens on the next start without repair", async () => {
    const dataDir = tempDir();
    const first = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    for (let i = 0; i < 20; i++) expect((await ingest(first.url, `killed-${i}`)).status).toBe(200);
    await first.stop("SIGKILL");
    const second = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    const list = (await (await fetch(`${second.url}/api/v1/traces?project=lifecycle`)).json()) as any;
    expect(list.traces).toHaveLength(20);
    expect((await ingest(second.url, "after-kill")).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  test("a second server on the same data directory refuses with a clear message", async () => {
    const dataDir = tempDir();
    const first = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    const second = spawnSync(bunPath, ["server/main.ts"], {
      cwd: new URL("..", import.meta.url).pathname,
      env: { ...process.env, PORT: "0", KALMIA_DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(second.status).toBe(3);
    expect(second.stderr).toContain("is in use by another Kalmia server");
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    await first.stop();
  });

  test("a bad setting stops the start with a message naming the variable", () => {
    const result = spawnSync(bunPath, ["server/main.ts"], {
      cwd: new URL("..", import.meta.url).pathname,
      env: { ...process.env, PORT: "not-a-port" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("PORT must be an integer");
  });
});

test("SIGTERM with a dashboard's live feed open still exits 0 promptly", async () => {
  const kalmia = await startKalmia();
  const feed = await fetch(`${kalmia.url}/api/v1/live`);
  expect(feed.status).toBe(200);
  const reading = feed.text().catch(() => "");
  expect(await kalmia.stop("SIGTERM")).toBe(0);
  await reading;
});
