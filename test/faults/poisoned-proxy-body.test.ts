// Issue 18, finding 2: one proxied body nested 100,000 levels deep was proxied, then jammed the
// writer for every client (its span could not be serialised, and the error was retried forever).
// On PGlite the writer runs in the server's process; on Postgres on a thread of its own.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { finishedTrace } from "../../server/proxy/proxy-test-stack.ts";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { storageBackends } from "../harness/backends.ts";
import { startInProcess, type InProcessKalmia } from "../harness/in-process.ts";

/** `{"model":..., "messages":[...], "deep": {"a":{"a":...}}}` as text: JSON.stringify could not make it. */
function deepBody(depth: number): string {
  return `{"model":"gpt-4o","messages":[{"role":"user","content":"Hello!"}],"metadata":{"deep":${'{"a":'.repeat(depth)}"bottom"${"}".repeat(depth)}}}`;
}

for (const backend of storageBackends()) {
  describe(`a poisoned proxied body on ${backend.name}`, () => {
    let upstream: FakeUpstream;
    let kalmia: InProcessKalmia;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      upstream = await startFakeUpstream();
      kalmia = await startInProcess({ ...prepared.env, OPENAI_BASE_URL: `${upstream.url}/v1` });
    }, 60_000);
    afterAll(async () => {
      await kalmia.stop();
      await upstream.stop();
      await cleanup();
    });

    const chat = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${kalmia.url}/api/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test", ...headers }, body });

    test("a body nested 100,000 levels deep is recorded cut at the limit, with a warning, and every other write goes on", async () => {
      const answer = await chat(deepBody(100_000));
      expect(answer.status).toBe(200);
      const deep = await finishedTrace(kalmia.url, answer.headers.get("x-kalmia-trace-id")!);
      const [span] = deep.spans;
      // One warning per place the body's nesting is recorded (the request's metadata is also the trace's).
      const warnings: string[] = span.metadata.kalmia_warnings;
      expect(warnings.length).toBeGreaterThan(0);
      for (const warning of warnings) expect(warning).toContain("nested deeper than 64 levels");
      expect(JSON.stringify(span.metadata)).toContain("[cut: nested deeper than 64 levels]");
      // Another client's write is answered as stored, and is.
      const other = await kalmia.post("/api/v1/spans", { project: "bystander", rows: [{ id: "b", root_span_id: "bystander-after-deep" }] });
      expect(other.status).toBe(200);
      expect((await fetch(`${kalmia.url}/api/v1/traces/bystander-after-deep`)).status).toBe(200);
    });

    test("NUL characters and unpaired surrogates in a proxied body are recorded replaced, with a warning", async () => {
      const body = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "a\u0000b \ud800" }] });
      const answer = await chat(body);
      expect(answer.status).toBe(200);
      const trace = await finishedTrace(kalmia.url, answer.headers.get("x-kalmia-trace-id")!);
      expect(JSON.stringify(trace.spans[0].input)).toContain("a\uFFFDb \uFFFD");
      expect(trace.spans[0].metadata.kalmia_warnings.length).toBeGreaterThan(0);
    });

    test("an x-kalmia-project the database could not store is a 400 naming the header, and nothing is forwarded", async () => {
      const before = upstream.requests().length;
      const answer = await chat(JSON.stringify({ model: "gpt-4o", messages: [] }), { "x-kalmia-project": "p".repeat(201) });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain("x-kalmia-project");
      expect(upstream.requests().length).toBe(before);
    });
  });
}
