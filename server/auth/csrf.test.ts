import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

// What a page on another port of the same host can make a browser send: a <form> (urlencoded or
// text/plain) or fetch(..., {mode: "no-cors", credentials: "include"}) with a text/plain body.
// The browser adds Sec-Fetch-Site: same-site (ports do not make another site) and its Origin,
// and it sends the session cookie along, SameSite=Strict or not.

const KEY = "kal-csrf-key-29d8e1";

const traceBody = (id: string) => JSON.stringify({ id, project_id: "csrf", output: "written" });

async function storedIds(kalmia: InProcessKalmia, headers: Record<string, string> = {}): Promise<string[]> {
  const response = await fetch(`${kalmia.url}/api/v1/traces?project=csrf`, { headers });
  return ((await response.json()) as any).traces.map((t: any) => t.id).sort();
}

describe("with KALMIA_API_KEYS set", () => {
  let kalmia: InProcessKalmia;
  let cookie: string;
  const bearer = { authorization: `Bearer ${KEY}` };
  const otherPort = () => `http://127.0.0.1:${Number(new URL(kalmia.url).port) + 1}`;
  const ingest = (id: string, headers: Record<string, string>) =>
    fetch(`${kalmia.url}/api/v1/traces/ingest?wait=true`, { method: "POST", headers, body: traceBody(id) });

  beforeAll(async () => {
    kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    const signIn = await kalmia.post("/api/session", { api_key: KEY });
    cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  });
  afterAll(() => kalmia.stop());

  test("the session cookie's name carries the server's port, so Kalmias on two ports keep theirs apart", () => {
    expect(cookie.split("=")[0]).toBe(`kalmia_session_${new URL(kalmia.url).port}`);
  });

  test("a no-cors text/plain post from another port, with the session cookie, writes nothing", async () => {
    const response = await ingest("csrf-no-cors", {
      cookie,
      "content-type": "text/plain;charset=UTF-8",
      "sec-fetch-site": "same-site",
      "sec-fetch-mode": "no-cors",
      origin: otherPort(),
    });
    expect(response.status).toBe(403);
    expect(await storedIds(kalmia, bearer)).not.toContain("csrf-no-cors");
  });

  test("a form post from a browser too old to send Sec-Fetch-Site is refused by its Origin", async () => {
    const response = await ingest("csrf-form", { cookie, "content-type": "application/x-www-form-urlencoded", origin: otherPort() });
    expect(response.status).toBe(403);
  });

  test("text/plain and form bodies are refused with 415 even with the key: they are not JSON", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await ingest(`csrf-${type.split("/")[1]!.slice(0, 5)}`, { ...bearer, "content-type": type });
      expect({ type, status: response.status }).toEqual({ type, status: 415 });
      expect(((await response.json()) as any).error.message).toContain("application/json");
    }
    expect(await storedIds(kalmia, bearer)).toEqual([]);
  });

  test("a cookie write without Sec-Fetch-Site or Origin is refused: it cannot show it comes from the dashboard", async () => {
    expect((await ingest("csrf-bare-cookie", { cookie, "content-type": "application/json" })).status).toBe(403);
  });

  test("a cookie read that the browser marks as coming from another site is refused", async () => {
    const response = await fetch(`${kalmia.url}/api/v1/traces/export`, { headers: { cookie, "sec-fetch-site": "same-site" } });
    expect(response.status).toBe(403);
  });

  test("the dashboard's own requests are served: same-origin fetches, and its Origin", async () => {
    expect((await ingest("csrf-dashboard", { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin", origin: kalmia.url })).status).toBe(200);
    expect((await ingest("csrf-origin", { cookie, "content-type": "application/json; charset=utf-8", origin: kalmia.url })).status).toBe(200);
    const read = await fetch(`${kalmia.url}/api/v1/traces?project=csrf`, { headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(read.status).toBe(200);
    // A typed URL or a download link: a navigation the user made.
    const download = await fetch(`${kalmia.url}/api/v1/traces/export`, { headers: { cookie, "sec-fetch-site": "none" } });
    expect(download.status).toBe(200);
    await download.body?.cancel();
    expect(await storedIds(kalmia, bearer)).toEqual(["csrf-dashboard", "csrf-origin"]);
  });

  test("behind the proxy (a fixed Host upstream) the browser's Origin is matched against X-Forwarded-Host", async () => {
    const headers = { cookie, "content-type": "application/json", origin: "https://kalmia.example.com", "x-forwarded-host": "kalmia.example.com", "x-forwarded-proto": "https" };
    expect((await ingest("csrf-proxied", headers)).status).toBe(200);
    expect((await ingest("csrf-proxied-foreign", { ...headers, origin: "https://evil.example.com" })).status).toBe(403);
  });
});

describe("without keys, on loopback", () => {
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess();
  });
  afterAll(() => kalmia.stop());
  const ingest = (id: string, headers: Record<string, string>) =>
    fetch(`${kalmia.url}/api/v1/traces/ingest?wait=true`, { method: "POST", headers, body: traceBody(id) });

  test("a page on another local port cannot write: its browser says same-site, or its Origin is not ours", async () => {
    const other = `http://localhost:${Number(new URL(kalmia.url).port) + 1}`;
    expect((await ingest("local-no-cors", { "content-type": "text/plain", "sec-fetch-site": "same-site", origin: other })).status).toBe(403);
    expect((await ingest("local-json", { "content-type": "application/json", origin: other })).status).toBe(403);
    expect((await ingest("local-text", { "content-type": "text/plain" })).status).toBe(415);
    expect(await storedIds(kalmia)).toEqual([]);
  });

  test("SDKs and tools (no browser headers) and the server's own pages still write", async () => {
    expect((await ingest("local-sdk", { "content-type": "application/json" })).status).toBe(200);
    expect((await ingest("local-page", { "content-type": "application/json", origin: kalmia.url, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect(await storedIds(kalmia)).toEqual(["local-page", "local-sdk"]);
  });
});
