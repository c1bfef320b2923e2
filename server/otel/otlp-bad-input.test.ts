import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { openJournal } from "../../db/write/journal/journal.ts";
import { createJournaledWriter } from "../../db/write/journal/journaled-writer.ts";
import { createWriter } from "../../db/write/writer.ts";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { LIMITS } from "../http/limits.ts";
import { decodeOtlpProto } from "./decode-otlp-proto.ts";
import { ProtoReader } from "./proto-reader.ts";
import { captureProtobufBody } from "./testing/capture-otlp.ts";

let kalmia: InProcessKalmia;
let genuine: Uint8Array;
beforeAll(async () => {
  kalmia = await startInProcess();
  genuine = await captureProtobufBody();
});
afterAll(() => kalmia.stop());

const endpoint = () => `${kalmia.url}/api/v1/otel/v1/traces`;
const send = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) => fetch(endpoint(), { method: "POST", body, headers });
const PROTO = { "content-type": "application/x-protobuf" };
const JSON_TYPE = { "content-type": "application/json" };

const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, "0");
const now = () => String(BigInt(Date.now()) * 1_000_000n);
function jsonSpan(traceId: string, spanId: string, name: string) {
  return { traceId, spanId, name, kind: 1, startTimeUnixNano: now(), endTimeUnixNano: now(), attributes: [{ key: "custom.flag", value: { boolValue: true } }] };
}
const jsonRequest = (spans: object[], service = "otel-bad-input") => ({
  resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: "t" }, spans }] }],
});

/** Decodes a google.rpc.Status body: code (field 1) and message (field 2). */
function rpcStatus(bytes: Uint8Array) {
  const r = new ProtoReader(bytes);
  const status = { code: 0, message: "" };
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1) status.code = r.uint();
    else if (f.number === 2) status.message = r.string();
    else r.skip(f.wire);
  }
  return status;
}

describe("OTLP input Kalmia cannot take gets a clear answer", () => {
  test("a protobuf body the real exporter sent, cut short, is a 400 with a protobuf Status naming the fault", async () => {
    expect(decodeOtlpProto(genuine)[0]!.scopeSpans[0]!.spans[0]!.name).toBe("captured");
    const response = await send(genuine.slice(0, genuine.length - 7), PROTO);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    const status = rpcStatus(await response.bytes());
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a valid OTLP ExportTraceServiceRequest protobuf: message truncated/);
  });

  test("JSON sent as protobuf is refused, and Accept: application/json gets the error as Kalmia JSON", async () => {
    const response = await send(JSON.stringify(jsonRequest([])), { ...PROTO, accept: "application/json" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.type).toBe("invalid_request");
    expect(body.error.message).toMatch(/not a valid OTLP ExportTraceServiceRequest protobuf/);
  });

  test("a content type other than protobuf or JSON is a 415 that names both", async () => {
    const response = await send("hello", { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    const body = (await response.json()) as any;
    expect(body.error.message).toMatch(/application\/x-protobuf or application\/json, got text\/plain/);
  });

  test("JSON of the wrong shape is a 400 with the path of the fault", async () => {
    const response = await send(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: "nope" }] }] }), JSON_TYPE);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toMatch(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans must be an array/);
  });

  test("a body over the limit is a 413, and so is a small gzip that inflates past it", async () => {
    const big = new Uint8Array(LIMITS.bodyBytes + 1024);
    const direct = await send(big, PROTO);
    expect(direct.status).toBe(413);
    expect(rpcStatus(await direct.bytes()).message).toMatch(/request body exceeds the limit/);
    const bomb = gzipSync(new Uint8Array(LIMITS.bodyBytes * 2));
    expect(bomb.length).toBeLessThan(100_000);
    const inflated = await send(bomb, { ...JSON_TYPE, "content-encoding": "gzip" });
    expect(inflated.status).toBe(413);
    expect(((await inflated.json()) as any).error.message).toMatch(/decompressed request body exceeds the limit/);
  });

  test("a gzipped protobuf body is read; a body that claims gzip but is not is a 400", async () => {
    const good = await send(gzipSync(await captureProtobufBody("gzipped")), { ...PROTO, "content-encoding": "gzip" });
    expect(good.status).toBe(200);
    expect((await good.bytes()).length).toBe(0);
    const bad = await send("plainly not gzip", { ...JSON_TYPE, "content-encoding": "gzip" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/not valid gzip/);
  });

  test("spans with bad ids are rejected as partial_success while the good ones are stored", async () => {
    const traceId = hex(0xabc001, 16);
    const body = jsonRequest([jsonSpan(traceId, hex(1, 8), "good"), jsonSpan(traceId, "xyz", "bad id"), jsonSpan("0".repeat(32), hex(2, 8), "zero trace")]);
    const response = await send(JSON.stringify(body), JSON_TYPE);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as any;
    expect(answer.partialSuccess.rejectedSpans).toBe("2");
    expect(answer.partialSuccess.errorMessage).toMatch(/spans\[1\]\.spanId must be 8 bytes/);
    const stored = await kalmia.getJson(`/api/v1/traces/${traceId}`);
    expect(stored.spans.map((s: any) => [s.name, s.metadata["custom.flag"]])).toEqual([["good", true]]);
  });

  test("an attribute nested 1,000 levels deep, a NUL and an unpaired surrogate are recorded cut and cleaned with a warning, never losing the span", async () => {
    let deep: object = { stringValue: "bottom" };
    for (let i = 0; i < 1_000; i++) deep = { kvlistValue: { values: [{ key: "a", value: deep }] } };
    const traceId = hex(0xabc002, 16);
    const span = { ...jsonSpan(traceId, hex(3, 8), "odd"), attributes: [
      { key: "deep", value: deep },
      { key: "nul", value: { stringValue: "a\u0000b" } },
      { key: "surrogate", value: { stringValue: "x\ud800" } },
    ] };
    const response = await send(JSON.stringify(jsonRequest([span])), JSON_TYPE);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).partialSuccess).toBeUndefined();
    const stored = await kalmia.getJson(`/api/v1/traces/${traceId}`);
    const { metadata } = stored.spans[0];
    expect(metadata.nul).toBe("a\uFFFDb");
    expect(metadata.surrogate).toBe("x\uFFFD");
    expect(JSON.stringify(metadata.deep)).toContain(`[cut: nested deeper than ${LIMITS.depth} levels]`);
    expect(metadata.kalmia_warnings).toHaveLength(3);
  });

  test("when the writer's buffer is full the answer is 503 with Retry-After, so exporters retry", async () => {
    const unjournaled = createWriter({ db: kalmia.store.db, projects: kalmia.store.projects, maxBufferedRows: 0 });
    const full = createJournaledWriter({ writer: unjournaled, journal: await openJournal(tempDir()), maxBufferedRows: 0 });
    const app = createApp({ config: loadConfig({}), store: kalmia.store, writer: full, bus: kalmia.bus, metrics: kalmia.metrics });
    const body = jsonRequest([jsonSpan(hex(0xabc002, 16), hex(3, 8), "overflow")]);
    const response = await app.handle(new Request("http://kalmia/api/v1/otel/v1/traces", { method: "POST", body: JSON.stringify(body), headers: JSON_TYPE }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(((await response.json()) as any).error.type).toBe("overloaded");
  });
});
