import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startFakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { openFeed } from "../harness/sse-feed.ts";
import { startKalmia, withServerLogs } from "../harness/start-kalmia.ts";
import { tempDir } from "../harness/temp-dir.ts";

const KALMIA_KEY = "kal-canary-4b1d9e77c2a05f3e";
const WRONG_KEY = "kal-canary-wrong-8e2f61ab90d4";
const PROVIDER_KEY = "sk-canary-provider-5c3a9f0e1b27d846";
const CANARIES = [KALMIA_KEY, WRONG_KEY, PROVIDER_KEY];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("API keys and provider keys sent through every path are found nowhere: database files, logs, live feed, answers", () => withServerLogs(async () => {
  const upstream = await startFakeUpstream();
  const dataDir = tempDir();
  const kalmia = await startKalmia({ KALMIA_API_KEYS: KALMIA_KEY, KALMIA_DATA_DIR: dataDir, OPENAI_BASE_URL: `${upstream.url}/v1` });
  const answers: string[] = [];
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${kalmia.url}${path}`, init);
    answers.push(JSON.stringify([...response.headers]), await response.text());
    return response;
  };
  const bearer = { authorization: `Bearer ${KALMIA_KEY}` };
  try {
    const signIn = await call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: KALMIA_KEY }) });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const feed = await openFeed(`${kalmia.url}/api/v1/live`, { cookie });

    await call("/api/v1/traces/ingest", { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ id: "s-1", project_id: "secrets", output: "ok" }) });
    await call("/api/v1/spans", { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ project: "secrets", rows: [{ id: "s-2", root_span_id: "s-2" }] }) });
    for (const stream of [false, true]) {
      await call("/api/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${PROVIDER_KEY}`, "x-kalmia-api-key": KALMIA_KEY, "x-kalmia-project": "secrets", "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream }),
      });
    }
    await call("/api/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${PROVIDER_KEY}`, "x-kalmia-api-key": WRONG_KEY, "content-type": "application/json" },
      body: "{}",
    });
    await call("/api/v1/traces", { headers: { authorization: `Bearer ${WRONG_KEY}` } });
    await call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: WRONG_KEY }) });
    await call("/api/v1/traces?project=secrets", { headers: bearer });
    await call("/api/v1/traces/s-1", { headers: { cookie } });
    await call("/api/experiments", { headers: bearer });
    await feed.waitFor((events) => events.filter((e) => e.event === "trace").length >= 4);
    await feed.close();

    expect(await kalmia.stop()).toBe(0);
    const feedText = feed.events.map((e) => e.data).join("\n");
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(10);
    for (const canary of CANARIES) {
      expect(kalmia.logs()).not.toContain(canary);
      expect(feedText).not.toContain(canary);
      for (const answer of answers) expect(answer).not.toContain(canary);
      const needle = Buffer.from(canary);
      const leaking = files.filter((file) => readFileSync(file).includes(needle));
      expect(leaking).toEqual([]);
    }
    // The proxied calls did reach the provider with its key, and only there.
    expect(upstream.requests().some((r) => r.headers.authorization === `Bearer ${PROVIDER_KEY}`)).toBe(true);
    expect(upstream.requests().some((r) => JSON.stringify(r.headers).includes(KALMIA_KEY))).toBe(false);
  } finally {
    await kalmia.stop();
    await upstream.stop();
  }
}));
