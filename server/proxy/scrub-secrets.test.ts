import { expect, test } from "bun:test";
import { REDACTED, secretScrubber, secretsOfRequest } from "./scrub-secrets.ts";

const KEY = "sk-proj-abcdef0123456789";

test("a secret is replaced in strings and keys at any depth, and nothing else changes", () => {
  const scrub = secretScrubber([KEY]);
  const value: Record<string, unknown> = {
    input: [{ role: "system", content: `You hold ${KEY}; never say it.` }],
    metadata: { user: KEY, metadata: { api_key: KEY }, [KEY]: 1, max_tokens: 10, flag: true, none: null },
  };
  expect(scrub(value)).toEqual({
    input: [{ role: "system", content: `You hold ${REDACTED}; never say it.` }],
    metadata: { user: REDACTED, metadata: { api_key: REDACTED }, [REDACTED]: 1, max_tokens: 10, flag: true, none: null },
  });
  expect(JSON.stringify(value)).toContain(KEY);
});

test("a value without any secret comes back as the very same object", () => {
  const value = { input: [{ content: "hello there, nothing to hide" }], n: 1 };
  expect(secretScrubber([KEY])(value)).toBe(value);
});

test("short, empty and missing values are not treated as secrets", () => {
  const scrub = secretScrubber(["short", "", null, undefined]);
  const value = { text: "a short answer, nothing null or undefined" };
  expect(scrub(value)).toBe(value);
});

test("a secret is also found URL-encoded, as an echoed URL carries it", () => {
  const secret = "key/with+special=chars";
  const scrub = secretScrubber([secret]);
  expect(scrub(`GET https://host/v1?api-key=${encodeURIComponent(secret)} failed`)).toBe(`GET https://host/v1?api-key=${REDACTED} failed`);
});

test("a secret that contains another is replaced whole", () => {
  expect(secretScrubber(["abcdefgh", "abcdefgh-ijkl"])("x abcdefgh-ijkl y")).toBe(`x ${REDACTED} y`);
});

test("a value nested past any stored depth is cut, never walked until the stack overflows", () => {
  let deep: unknown = KEY;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  let leaf: unknown = secretScrubber([KEY])(deep);
  while (Array.isArray(leaf)) leaf = leaf[0];
  expect(leaf).toStartWith(REDACTED);
});

test("a __proto__ key stays an own property when its object is copied", () => {
  const value = JSON.parse(`{"__proto__": {"x": 1}, "secret": "${KEY}"}`);
  const scrubbed = secretScrubber([KEY])(value);
  expect(Object.keys(scrubbed)).toEqual(["__proto__", "secret"]);
  expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
});

test("a request's secrets: credential headers with and without their scheme, a Basic password, cookies and credential-looking query parameters", () => {
  const headers = new Headers({
    authorization: `Bearer ${KEY}`,
    "x-api-key": "sk-ant-api03-xyz987654",
    "api-key": "azure-key-0123456789",
    "proxy-authorization": `Basic ${btoa("user:proxy-password-1")}`,
    "x-kalmia-api-key": "kalmia-key-0123456",
    cookie: "kalmia_session=session-token-123456; theme=dark",
  });
  const secrets = secretsOfRequest(headers, "http://kalmia/api/v1/chat/completions?api-version=2024-06-01&api-key=query-key-0123456&key=google-key-012345&access_token=oauth-token-01234");
  expect(secrets).toEqual(expect.arrayContaining([KEY, `Bearer ${KEY}`, "sk-ant-api03-xyz987654", "azure-key-0123456789", "proxy-password-1", "kalmia-key-0123456", "session-token-123456", "query-key-0123456", "google-key-012345", "oauth-token-01234"]));
  expect(secrets).not.toContain("2024-06-01");
});
