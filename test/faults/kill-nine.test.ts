import { expect, test } from "bun:test";
import { startKalmia, withServerLogs } from "../harness/start-kalmia.ts";
import { tempDir } from "../harness/temp-dir.ts";

const ROUNDS = Number(process.env.KALMIA_KILL_ROUNDS ?? 10);

test(`kill -9 of a PGlite server under ingest load, ${ROUNDS} times: it reopens and keeps every acknowledged span`, () => withServerLogs(async () => {
  const dataDir = tempDir();
  const acknowledged: string[] = [];
  let serial = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const kalmia = await startKalmia({ KALMIA_DATA_DIR: dataDir });
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          const id = `k9-${serial++}`;
          const body = JSON.stringify({ project: "kill9", rows: [{ id, root_span_id: id, input: "x".repeat(500), metrics: { start: Date.now() / 1000 } }] });
          try {
            const response = await fetch(`${kalmia.url}/api/v1/spans`, { method: "POST", headers: { "content-type": "application/json" }, body });
            // 202: not yet written, but in the journal (db/write/journal/): acknowledged as well.
            if (response.status === 200 || response.status === 202) acknowledged.push(id);
          } catch {
            return; // the server is gone
          }
        }
      }),
    );
    await Bun.sleep(300 + Math.random() * 700);
    await kalmia.stop("SIGKILL");
    loading = false;
    await load;
  }
  const kalmia = await startKalmia({ KALMIA_DATA_DIR: dataDir });
  try {
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await (await fetch(`${kalmia.url}/api/v1/traces?project=kill9&limit=500${cursor ? `&cursor=${cursor}` : ""}`)).json();
      page.traces.forEach((t: any) => stored.add(t.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  } finally {
    await kalmia.stop();
  }
}), 600_000);
