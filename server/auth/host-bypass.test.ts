import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { rawHttp, requestText } from "../../test/harness/raw-http.ts";

// Over a real socket: fetch would send its own Host. The bypass this guards against: with a
// Host of 1 to 3 characters the router read the path from a fixed offset in request.url, so
// `Host: a` + "/xx/api/v1/traces/export" reached the export while the key guard saw "/xx/...".

const KEY = "kal-host-bypass-key-5c1e";
const CANARY = "canary-prompt-4f0b7d";

const trace = JSON.stringify({ id: "host-1", project_id: "host-bypass", input: CANARY, output: CANARY });
const chat = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });

/** Every route that needs the key, with a body it would accept. */
const PROTECTED: [method: string, path: string, body: string][] = [
  ["GET", "/api/v1/traces/export", ""],
  ["GET", "/api/v1/traces", ""],
  ["GET", "/api/v1/traces/host-1", ""],
  ["POST", "/api/v1/traces/ingest", trace],
  ["POST", "/api/v1/spans", "[]"],
  ["POST", "/api/v1/otel/v1/traces", '{"resourceSpans":[]}'],
  ["GET", "/api/v1/live", ""],
  ["GET", "/api/experiments", ""],
  ["POST", "/api/v1/chat/completions", chat],
  ["POST", "/api/v1/responses", chat],
  ["POST", "/api/v1/embeddings", '{"model":"m","input":"x"}'],
  ["GET", "/api/v1/models", ""],
  ["GET", "/api/v1/models/gpt-4o", ""],
  ["GET", "/api/v1/v1/models", ""],
  ["GET", "/api/v1/v1/models/claude-sonnet-4-5", ""],
  ["POST", "/api/v1/messages", chat],
  ["POST", "/api/v1/v1/messages/count_tokens", chat],
];

/** Host headers and targets that once made the router and the guard read different paths. */
const tricks = (path: string): [name: string, target: string, hosts: string[]][] => [
  ["Host: a, three characters of padding", `/xx${path}`, ["a"]],
  ["Host: ab, two characters of padding", `/x${path}`, ["ab"]],
  ["Host: abc, one character of padding", `/${path}`, ["abc"]],
  ["Host: a, no padding", path, ["a"]],
  ["Host: a:1", `/x${path}`, ["a:1"]],
  ["an absolute-form target with a short host", `http://a/xx${path}`, ["a"]],
  ["an absolute-form target naming another host", `http://a/xx${path}`, ["localhost"]],
  ["two Hosts, the short one first", `/xx${path}`, ["a", "localhost"]],
  ["two Hosts, the short one last", `/xx${path}`, ["localhost", "a"]],
];

describe("with KALMIA_API_KEYS set, a request's Host never opens a route that needs the key", () => {
  let kalmia: InProcessKalmia;
  beforeAll(async () => {
    kalmia = await startInProcess({ KALMIA_API_KEYS: KEY, OPENAI_BASE_URL: "http://127.0.0.1:9/v1", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" });
    const stored = await kalmia.post("/api/v1/traces/ingest?wait=true", trace, { authorization: `Bearer ${KEY}` });
    expect(stored.status).toBe(200);
  });
  afterAll(() => kalmia.stop());

  for (const [method, path, body] of PROTECTED) {
    test(`${method} ${path}: short, absolute-form and duplicate Hosts are refused, and nothing is read or written`, async () => {
      for (const [name, target, hosts] of tricks(path)) {
        const headers = [...hosts.map((host) => `Host: ${host}`), ...(body ? ["Content-Type: application/json"] : [])];
        const answer = await rawHttp(kalmia.url, requestText(method, target, headers, body));
        // 400 for the Host (not a route's own 400 about the body), 401 (the key is needed) or
        // 404 (the path the router really sees is no route): never the route itself.
        const refused = answer.status === 401 || answer.status === 404 || (answer.status === 400 && answer.body.includes("Host"));
        expect({ name, refused }).toEqual({ name, refused: true });
        expect(answer.body).not.toContain(CANARY);
      }
    });
  }

  test("nothing sent with those Hosts was stored", async () => {
    const list = await fetch(`${kalmia.url}/api/v1/traces?project=host-bypass`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await list.json()) as any).traces.map((t: any) => t.id)).toEqual(["host-1"]);
  });

  test("a request without a Host, or with one that is no authority, is answered 400, not 500, and its query is not logged", async () => {
    const logged: string[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    let noHost;
    try {
      noHost = await rawHttp(kalmia.url, "GET /api/v1/live?api_key=query-secret-31 HTTP/1.0\r\n\r\n");
    } finally {
      console.error = log;
    }
    expect(noHost.status).toBe(400);
    expect(noHost.body).toContain("Host");
    expect(logged.join("\n")).not.toContain("query-secret-31");
    for (const host of ["", "a/b", "a?b", "a@b", "a b", "[zz]", "a:99999"]) {
      const answer = await rawHttp(kalmia.url, requestText("GET", "/api/v1/traces", [`Host: ${host}`]));
      expect({ host, status: answer.status }).toEqual({ host, status: 400 });
    }
  });

  test("with the key and an ordinary Host, the same raw requests are served", async () => {
    const answer = await rawHttp(kalmia.url, requestText("GET", "/api/v1/traces/host-1", ["Host: kalmia", `Authorization: Bearer ${KEY}`]));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(CANARY);
  });
});
