import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

const KEY = "kal-canary-7f3a9c2e51d8";
const WRONG = "kal-wrong-b4d1e6f0a9c3";

/** No 4+ character piece of a key may come back in an answer. */
function expectNoPieceOf(secret: string, text: string) {
  for (let i = 0; i + 4 <= secret.length; i++) {
    const piece = secret.slice(i, i + 4);
    if (!/^[a-z-]+$/.test(piece)) expect(text).not.toContain(piece);
  }
}

describe("with KALMIA_API_KEYS set", () => {
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess({ KALMIA_API_KEYS: `other-key,${KEY}`, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
  });
  afterAll(() => kalmia.stop());

  // As every real client sends them: bodies as JSON (text/plain is refused, see csrf.test.ts).
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${kalmia.url}${path}`, init.body ? { ...init, headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) } } : init);
  const trace = JSON.stringify({ id: "auth-1", project_id: "secure", output: "x" });

  test("ingestion, upload, listing, reads and the live feed refuse a missing or wrong key with a 401", async () => {
    const attempts: [string, RequestInit][] = [
      ["/api/v1/traces/ingest", { method: "POST", body: trace }],
      ["/api/v1/spans", { method: "POST", body: "[]" }],
      ["/api/v1/traces", {}],
      ["/api/v1/traces/auth-1", {}],
      ["/api/v1/live", {}],
      ["/api/experiments", {}],
    ];
    for (const [path, init] of attempts) {
      for (const headers of [{}, { authorization: `Bearer ${WRONG}` }] as Record<string, string>[]) {
        const response = await request(path, { ...init, headers });
        expect(response.status).toBe(401);
        const text = await response.text();
        expect(JSON.parse(text).error.type).toBe("unauthorized");
        expectNoPieceOf(WRONG, text);
      }
    }
  });

  test("the right key as a Bearer token opens the API", async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    expect((await request("/api/v1/traces/ingest", { method: "POST", body: trace, headers: auth })).status).toBe(200);
    const list = await request("/api/v1/traces?project=secure", { headers: auth });
    expect(((await list.json()) as any).traces.map((t: any) => t.id)).toEqual(["auth-1"]);
  });

  test("health and the dashboard shell need no key", async () => {
    expect((await request("/api/health")).status).toBe(200);
    expect((await request("/")).status).not.toBe(401);
  });

  test("proxied calls need x-kalmia-api-key, since Authorization belongs to the provider", async () => {
    const call = (headers: Record<string, string>) =>
      request("/api/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-provider", ...headers },
        body: JSON.stringify({ model: "gpt-4o", messages: [] }),
      });
    const refused = await call({});
    expect(refused.status).toBe(401);
    expect((await refused.text())).toContain("x-kalmia-api-key");
    expect((await call({ "x-kalmia-api-key": WRONG })).status).toBe(401);
    // With the key the call goes on to the (unreachable) upstream.
    expect((await call({ "x-kalmia-api-key": KEY })).status).toBe(502);
  });

  test("the dashboard signs in once and gets an HttpOnly, SameSite cookie the API and live feed accept", async () => {
    const wrong = await request("/api/session", { method: "POST", body: JSON.stringify({ api_key: WRONG }) });
    expect(wrong.status).toBe(401);
    expectNoPieceOf(WRONG, await wrong.text());

    const signIn = await request("/api/session", { method: "POST", body: JSON.stringify({ api_key: KEY }) });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(KEY);
    const cookie = setCookie.split(";")[0]!;

    expect((await request("/api/v1/traces", { headers: { cookie } })).status).toBe(200);
    const live = await request("/api/v1/live", { headers: { cookie } });
    expect(live.status).toBe(200);
    await live.body?.cancel();
    expect(((await (await request("/api/session", { headers: { cookie } })).json()) as any).signed_in).toBe(true);
    expect((await request("/api/v1/traces", { headers: { cookie: `${cookie.split("=")[0]}=99999999999.forged` } })).status).toBe(401);
  });

  test("a key in the query string is never accepted", async () => {
    expect((await request(`/api/v1/live?api_key=${KEY}`)).status).toBe(401);
    expect((await request(`/api/v1/traces?key=${KEY}`)).status).toBe(401);
  });
});

describe("without keys, on loopback", () => {
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess();
  });
  afterAll(() => kalmia.stop());

  const handle = (headers: Record<string, string>) =>
    kalmia.app.handle(new Request("http://127.0.0.1/api/v1/traces", { headers }));

  test("requests with a foreign Host are refused (DNS rebinding)", async () => {
    const response = await handle({ host: "attacker.example:3000" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.message).toContain("attacker.example");
  });

  test("a name that only starts with 127. is foreign, in the Host or the Origin", async () => {
    const byHost = await handle({ host: "127.evil.com:3000" });
    expect(byHost.status).toBe(403);
    expect(((await byHost.json()) as any).error.message).toContain("127.evil.com");
    expect((await handle({ host: "localhost:3000", origin: "http://127.attacker.example" })).status).toBe(403);
  });

  test("requests with a foreign or null Origin are refused", async () => {
    expect((await handle({ host: "localhost:3000", origin: "https://evil.example" })).status).toBe(403);
    expect((await handle({ host: "localhost:3000", origin: "null" })).status).toBe(403);
  });

  test("local hosts and origins are served, and no CORS wildcard is ever sent", async () => {
    for (const headers of [
      { host: "localhost:3000" },
      { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" },
      { host: "[::1]:3000", origin: "http://[::1]:3000" },
    ] as Record<string, string>[]) {
      const response = await handle(headers);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});
