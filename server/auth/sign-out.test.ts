import { afterAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { freshPostgresDatabase, testPostgresUrl } from "../../test/harness/postgres.ts";

const KEY = "kal-sign-out-key-77ab20";

async function signIn(kalmia: InProcessKalmia): Promise<string> {
  const response = await kalmia.post("/api/session", { api_key: KEY });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

const readsWith = async (kalmia: InProcessKalmia, cookie: string) =>
  (await fetch(`${kalmia.url}/api/v1/traces`, { headers: { cookie, "sec-fetch-site": "same-origin" } })).status;

const signOut = (kalmia: InProcessKalmia, cookie: string) =>
  fetch(`${kalmia.url}/api/session`, { method: "DELETE", headers: { cookie, "sec-fetch-site": "same-origin" } });

describe("signing out ends the session on the server, not only in the browser", () => {
  const servers: InProcessKalmia[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  test("a cookie kept from before the sign-out (a copy, a stolen one) no longer opens the API", async () => {
    const kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    servers.push(kalmia);
    const cookie = await signIn(kalmia);
    const other = await signIn(kalmia);
    expect(await readsWith(kalmia, cookie)).toBe(200);

    const out = await signOut(kalmia, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await readsWith(kalmia, cookie)).toBe(401);
    const session = await fetch(`${kalmia.url}/api/session`, { headers: { cookie } });
    expect(((await session.json()) as any).signed_in).toBe(false);
    // Only that session: another browser's stays signed in.
    expect(await readsWith(kalmia, other)).toBe(200);
  });

  test("while the database cannot be asked about sign-outs, a session cookie gets a 503 to retry, never a 500 or a pass", async () => {
    const kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    const cookie = await signIn(kalmia);
    await kalmia.store.close();
    try {
      const response = await fetch(`${kalmia.url}/api/v1/traces`, { headers: { cookie, "sec-fetch-site": "same-origin" } });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      await kalmia.stop().catch(() => kalmia.app.server?.stop(true));
    }
  });

  const postgresUrl = testPostgresUrl();
  test.skipIf(!postgresUrl)("on Postgres, a sign-out on one replica ends the session on every replica", async () => {
    const database = await freshPostgresDatabase(postgresUrl!);
    try {
      const a = await startInProcess({ KALMIA_API_KEYS: KEY, DATABASE_URL: database.url });
      servers.push(a);
      const b = await startInProcess({ KALMIA_API_KEYS: KEY, DATABASE_URL: database.url });
      servers.push(b);
      // The cookie's name carries the port; replicas behind one balancer share a port.
      const cookie = await signIn(a);
      const onB = cookie.replace(/^kalmia_session_\d+/, `kalmia_session_${new URL(b.url).port}`);
      expect(await readsWith(b, onB)).toBe(200);
      expect((await signOut(b, onB)).status).toBe(200);
      expect(await readsWith(a, cookie)).toBe(401);
      expect(await readsWith(b, onB)).toBe(401);
    } finally {
      for (const server of servers.splice(0)) await server.stop();
      await database.drop();
    }
  });
});
