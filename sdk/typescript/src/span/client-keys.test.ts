import assert from "node:assert/strict";
import { test } from "../../test/support/runner.ts";
import { REDACTED, rememberClientKeys, scrubRowJson } from "./client-keys.ts";

test("a scrubbed row stays valid JSON whatever surrounds the key, and a client whose getter throws is read without throwing", () => {
  const key = 'n0123456"quoted\\key';
  rememberClientKeys({
    apiKey: key,
    get authToken(): string {
      throw new Error("unreadable");
    },
  });
  const row = { error: `bad key ${key}!`, [key]: 1, near: "\n0123456 is not the key", n: 1234567890 };
  assert.deepEqual(JSON.parse(scrubRowJson(JSON.stringify(row))), { error: `bad key ${REDACTED}!`, [REDACTED]: 1, near: "\n0123456 is not the key", n: 1234567890 });
});

test("a row without any remembered key comes back as the very same text", () => {
  rememberClientKeys({ apiKey: "sk-some-long-key-0000" });
  const row = '{"id":"a","output":"nothing secret"}';
  assert.equal(scrubRowJson(row), row);
});
