import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { sql } from "../../db/connect/open.ts";
import { startProxyStack, type ProxyStack } from "./proxy-test-stack.ts";

// The embedded database (PGlite) runs Postgres as WASM: on the server's own thread, each of its
// statements would hold up every call in flight for as long as it ran.
let stack: ProxyStack;
beforeAll(async () => {
  stack = await startProxyStack();
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

test("on the embedded database, a proxied call is answered while a long statement holds the database, and recorded after it", async () => {
  let statementDone = false;
  const statement = stack.kalmia.store.database.rows(sql`select pg_sleep(3)`).then(() => (statementDone = true));
  const openai = new OpenAI({ baseURL: stack.proxyUrl, apiKey: "sk-test", maxRetries: 0 });
  const { data, response } = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello!" }] }).withResponse();
  expect(data.choices[0]!.message.content).toBeTruthy();
  expect(statementDone).toBe(false);
  await statement;
  const trace = await stack.finishedTrace(response.headers.get("x-kalmia-trace-id")!);
  expect(trace.status).toBe("ok");
  expect(trace.spans[0].output.content).toBe(data.choices[0]!.message.content);
});

test("the embedded database's errors keep their SQLSTATE, and a failed statement leaves it usable", async () => {
  const failed = await stack.kalmia.store.database.rows(sql`select 1 / 0 as x`).catch((error) => error);
  // drizzle wraps the driver's error as its cause.
  expect(failed.cause.code).toBe("22012");
  expect(String(failed.cause.message)).toContain("division by zero");
  expect(await stack.kalmia.store.database.rows(sql`select 2 as two`)).toEqual([{ two: 2 }]);
});
