import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { openDatabase, sql } from "../../db/connect/open.ts";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream/start-fake-upstream.ts";
import { startKalmia, type RunningKalmia } from "../../test/harness/start-kalmia.ts";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { finishedTrace } from "./proxy-test-stack.ts";

// A real `bun server/main.ts` process: its logs and its database can be read whole.
let upstream: FakeUpstream;
let kalmia: RunningKalmia;
const dataDir = tempDir();
const CANARY_OPENAI = `sk-canary-${crypto.randomUUID()}`;
const CANARY_ANTHROPIC = `sk-ant-canary-${crypto.randomUUID()}`;
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hello!" }] };
const MESSAGE = { model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user" as const, content: "Hello!" }] };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  kalmia = await startKalmia({ KALMIA_DATA_DIR: dataDir, OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_BASE_URL: upstream.url, KALMIA_PROXY_TIMEOUT_MS: "500" });
}, 60_000);
afterAll(async () => {
  await kalmia?.stop();
  await upstream?.stop();
}, 30_000);

test("an upstream that does not answer in time gives the caller a 504 in the provider's shape, recorded", async () => {
  const answer = await fetch(`${kalmia.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-test", "x-fake-scenario": "hang" },
    body: JSON.stringify(CHAT),
  });
  expect(answer.status).toBe(504);
  expect(((await answer.json()) as any).error.type).toBe("upstream_timeout");
  const trace = await finishedTrace(kalmia.url, answer.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("error");
  expect(trace.spans[0].metadata.http_status).toBe(504);
});

test("100 calls with a canary key leave it nowhere: not in the database, the logs, the live feed or error bodies", async () => {
  const liveConnection = new AbortController();
  const live = await fetch(`${kalmia.url}/api/v1/live`, { signal: liveConnection.signal });
  const liveText = collectText(live.body!);
  const openai = new OpenAI({ baseURL: `${kalmia.url}/api/v1`, apiKey: CANARY_OPENAI, maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: `${kalmia.url}/api/v1`, apiKey: CANARY_ANTHROPIC, maxRetries: 0 });
  const received: string[] = [];
  const keep = (value: unknown) => {
    if (value === undefined) return;
    received.push(typeof value === "string" ? value : `${String(value)} ${JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}))}`);
  };
  const calls: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < 25; i++) calls.push(() => openai.chat.completions.create(CHAT));
  for (let i = 0; i < 20; i++) calls.push(async () => { for await (const c of await openai.chat.completions.create({ ...CHAT, stream: true })) keep(c); });
  for (let i = 0; i < 20; i++) calls.push(async () => { for await (const e of await anthropic.messages.create({ ...MESSAGE, stream: true })) keep(e); });
  for (let i = 0; i < 10; i++) calls.push(() => anthropic.messages.create(MESSAGE, { headers: { "x-fake-scenario": i % 2 ? "error-429" : "error-401" } }));
  for (let i = 0; i < 10; i++) calls.push(() => openai.chat.completions.create(CHAT, { headers: { "x-fake-scenario": i % 2 ? "error-500" : "cut" } }));
  for (let i = 0; i < 5; i++) calls.push(async () => { for await (const c of await openai.chat.completions.create({ ...CHAT, stream: true }, { headers: { "x-fake-scenario": "cut" } })) keep(c); });
  for (let i = 0; i < 5; i++) calls.push(() => fetch(`${kalmia.url}/api/v1/messages`, { method: "POST", headers: { "x-api-key": CANARY_ANTHROPIC }, body: "not json" }).then((r) => r.text()));
  for (let i = 0; i < 5; i++) calls.push(() => openai.responses.create({ model: "gpt-4o", input: "Hi" }));
  expect(calls).toHaveLength(100);
  for (let i = 0; i < calls.length; i += 10) {
    const settled = await Promise.allSettled(calls.slice(i, i + 10).map((call) => call()));
    for (const outcome of settled) keep(outcome.status === "fulfilled" ? outcome.value : outcome.reason);
  }
  await Bun.sleep(500);
  liveConnection.abort();
  const feed = await liveText;
  // The Anthropic SDK sends its key as `Authorization: Bearer`; all but the 5 non-JSON bodies went upstream.
  const carried = upstream.requests().filter((r) => [`Bearer ${CANARY_OPENAI}`, `Bearer ${CANARY_ANTHROPIC}`].includes(r.headers.authorization ?? ""));
  expect(carried).toHaveLength(95);
  expect(feed.length).toBeGreaterThan(1000);
  await kalmia.stop();

  const dump = await dumpDatabase(dataDir);
  expect(dump).toContain("Hello!");
  for (const canary of [CANARY_OPENAI, CANARY_ANTHROPIC]) {
    expect(dump.includes(canary)).toBe(false);
    expect(kalmia.logs().includes(canary)).toBe(false);
    expect(feed.includes(canary)).toBe(false);
    expect(received.some((text) => text.includes(canary))).toBe(false);
  }
});

async function collectText(body: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  try {
    for await (const chunk of body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)) text += chunk;
  } catch {}
  return text;
}

/** Every row of every table, as text. */
async function dumpDatabase(dir: string): Promise<string> {
  const database = await openDatabase({ dataDir: dir });
  try {
    const tables = await database.rows<{ name: string }>(sql`select table_name as name from information_schema.tables where table_schema = 'public'`);
    const texts: string[] = [];
    for (const { name } of tables) {
      const rows = await database.rows<{ row: string }>(sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`);
      texts.push(...rows.map((r) => r.row));
    }
    return texts.join("\n");
  } finally {
    await database.close();
  }
}
