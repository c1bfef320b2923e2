import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { LIMITS } from "./limits.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

const now = Math.floor(Date.now() / 1000);
const good = (id: string) => ({ id, project_id: "bad-input", output: `ok ${id}` });

async function expectError(response: Response, status: number, mention: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as any;
  expect(typeof body.error.type).toBe("string");
  expect(body.error.message).toMatch(mention);
  return body;
}

async function stored(id: string) {
  return (await fetch(`${kalmia.url}/api/v1/traces/${id}`)).status === 200;
}

/** Ingests one bad trace between two good ones; the good ones must land. */
async function mixedBatch(bad: unknown, mention: RegExp, tag: string) {
  const response = await kalmia.post("/api/v1/traces/ingest", [good(`${tag}-a`), bad, good(`${tag}-b`)]);
  expect(response.status).toBe(207);
  const body = (await response.json()) as any;
  expect(body.accepted).toBe(2);
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].index).toBe(1);
  expect(`${body.errors[0].path} ${body.errors[0].message}`).toMatch(mention);
  expect(await stored(`${tag}-a`)).toBe(true);
  expect(await stored(`${tag}-b`)).toBe(true);
  return body.errors[0];
}

describe("bad input gets a clear error and loses nothing valid", () => {
  test("malformed JSON is a 400 that says so", async () => {
    await expectError(await kalmia.post("/api/v1/traces/ingest", '[{"id": "x",'), 400, /not valid JSON/);
    await expectError(await kalmia.post("/api/v1/spans", "{nope"), 400, /not valid JSON/);
  });

  test("an empty body is a 400, not a crash", async () => {
    await expectError(await kalmia.post("/api/v1/traces/ingest", ""), 400, /empty/);
  });

  test("a wrong type is reported with its index, id and field path", async () => {
    const error = await mixedBatch({ id: "typed", project_id: 42 }, /\[1\]\.project_id must be a non-empty string/, "types");
    expect(error.id).toBe("typed");
  });

  test("an unknown span type names the field and the allowed values", async () => {
    const bad = { id: "kind", spans: [{ id: "s", span_attributes: { type: "banana" } }] };
    await mixedBatch(bad, /spans\[0\]\.span_attributes\.type must be one of llm, tool, task, function/, "kind");
  });

  test("an absurd timestamp (milliseconds for seconds) is refused", async () => {
    const bad = { id: "time", spans: [{ id: "s", metrics: { start: Date.now() } }] };
    await mixedBatch(bad, /spans\[0\]\.metrics\.start .*not a plausible time/, "time");
  });

  test("a NUL character in a string is refused with its path", async () => {
    await mixedBatch({ id: "nul", output: "a\u0000b" }, /\[1\]\.output contains a NUL character/, "nul");
  });

  test("an unpaired surrogate (invalid Unicode) is refused with its path", async () => {
    const body = `[${JSON.stringify(good("sur-a"))}, {"id": "sur", "input": "x\\ud800y"}, ${JSON.stringify(good("sur-b"))}]`;
    const response = await kalmia.post("/api/v1/traces/ingest", body);
    expect(response.status).toBe(207);
    const result = (await response.json()) as any;
    expect(result.errors[0].path).toBe("[1].input");
    expect(await stored("sur-a")).toBe(true);
  });

  test("bytes that are not UTF-8 are a 400", async () => {
    const bytes = new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]);
    const response = await fetch(`${kalmia.url}/api/v1/traces/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body: bytes });
    await expectError(response, 400, /not valid UTF-8/);
  });

  test("nesting deeper than the documented bound is refused", async () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < LIMITS.depth + 5; i++) deep = { d: deep };
    await mixedBatch({ id: "deep", input: deep }, /nests deeper than the limit of 64/, "deep");
  });

  test("a string longer than the documented bound is refused with its path", async () => {
    const long = "y".repeat(LIMITS.stringChars + 1);
    await mixedBatch({ id: "long", output: long }, /\[1\]\.output is longer than the limit of 1000000 characters/, "long");
  });

  test("a body over the size limit is a 413, even without a content-length", async () => {
    const chunk = new TextEncoder().encode(`"${"x".repeat(1024 * 1024)}",`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode("["));
        if (sent > LIMITS.bodyBytes + 2 * chunk.length) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const response = await fetch(`${kalmia.url}/api/v1/traces/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    await expectError(response, 413, /exceeds the limit of 10485760 bytes/);
  });

  test("when no item is valid the answer is a 400 listing each error", async () => {
    const response = await kalmia.post("/api/v1/traces/ingest", [{ id: 1 }, { nope: true }]);
    const body = await expectError(response, 400, /no valid traces/);
    expect(body.errors.map((e: any) => e.index)).toEqual([0, 1]);
  });

  test("span rows are validated one by one too", async () => {
    const response = await kalmia.post("/api/v1/spans", {
      project: "bad-input",
      rows: [
        { id: "row-ok", root_span_id: "row-ok", metrics: { start: now } },
        { id: "row-bad", root_span_id: "row-bad", metrics: { prompt_tokens: -3 } },
        { root_span_id: "no-id" },
      ],
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as any;
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e: any) => [e.index, e.id, e.path])).toEqual([
      [1, "row-bad", "rows[1].metrics.prompt_tokens"],
      [2, null, "rows[2].id"],
    ]);
    expect(await stored("row-ok")).toBe(true);
  });

  test("list parameters out of range are 400s naming the parameter", async () => {
    await expectError(await fetch(`${kalmia.url}/api/v1/traces?limit=501`), 400, /limit must be an integer from 1 to 500/);
    await expectError(await fetch(`${kalmia.url}/api/v1/traces?cursor=garbage`), 400, /cursor/);
    await expectError(await fetch(`${kalmia.url}/api/v1/traces?since=yesterday`), 400, /since must be/);
    await expectError(await fetch(`${kalmia.url}/api/v1/traces?status=weird`), 400, /status must be one of/);
  });

  test("unknown traces and routes are JSON 404s", async () => {
    await expectError(await fetch(`${kalmia.url}/api/v1/traces/does-not-exist`), 404, /no trace with id does-not-exist/);
    await expectError(await fetch(`${kalmia.url}/api/v1/nothing-here`), 404, /no such route/);
  });
});
