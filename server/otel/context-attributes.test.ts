// Users, sessions, tags and metadata from OTLP spans (issue 22), in each instrumentation's words, read
// back from the trace list.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

const nowNanos = BigInt(Date.now()) * 1_000_000n;
let traceNumber = 0;

/** One root span with these attributes, sent as OTLP/JSON; answers its trace id. */
async function send(attributes: Record<string, unknown>): Promise<string> {
  const traceId = (++traceNumber).toString(16).padStart(32, "a");
  const value = (v: unknown): unknown =>
    typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : typeof v === "number" ? { intValue: String(v) }
      : { arrayValue: { values: (v as unknown[]).map(value) } };
  const body = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "ctx-otel" } }] }, scopeSpans: [{ scope: { name: "t" }, spans: [{
    traceId, spanId: "b7ad6b7169203331", name: "agent run", kind: 1,
    startTimeUnixNano: String(nowNanos - 1_000_000_000n), endTimeUnixNano: String(nowNanos),
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: value(v) })),
  }] }] }] };
  const response = await kalmia.post("/api/v1/otel/v1/traces", body);
  expect(response.status).toBe(200);
  return traceId;
}
const listed = async (id: string) => (await kalmia.getJson(`/api/v1/traces?q=${id}`)).traces.find((t: any) => t.id === id);

test("OpenInference: session.id, user.id, tag.tags and metadata as JSON text", async () => {
  const id = await send({ "openinference.span.kind": "CHAIN", "session.id": "oi-session", "user.id": "oi-user", "tag.tags": ["rag", "prod"], metadata: '{"tenant":"acme","version":3}' });
  expect(await listed(id)).toMatchObject({ user_id: "oi-user", session_id: "oi-session", tags: ["rag", "prod"], metadata: { tenant: "acme", version: 3 } });
  expect((await kalmia.getJson("/api/v1/traces?metadata.version=3&tag=rag&user=oi-user")).traces.map((t: any) => t.id)).toEqual([id]);
});

test("OpenTelemetry: enduser.id", async () => {
  const id = await send({ "enduser.id": "otel-user", "session.id": "otel-session" });
  expect(await listed(id)).toMatchObject({ user_id: "otel-user", session_id: "otel-session" });
});

test("Langfuse: langfuse.user.id, langfuse.session.id, langfuse.trace.tags and langfuse.trace.metadata.*", async () => {
  const id = await send({ "langfuse.user.id": "lf-user", "langfuse.session.id": "lf-session", "langfuse.trace.tags": ["a", "b"], "langfuse.trace.metadata.tenant": "globex" });
  expect(await listed(id)).toMatchObject({ user_id: "lf-user", session_id: "lf-session", tags: ["a", "b"], metadata: { tenant: "globex" } });
});

test("Vercel AI SDK: ai.telemetry.metadata.userId, sessionId, tags and the rest as metadata", async () => {
  const id = await send({ "ai.telemetry.metadata.userId": "v-user", "ai.telemetry.metadata.sessionId": "v-session", "ai.telemetry.metadata.tags": ["chat"], "ai.telemetry.metadata.feature": "search" });
  expect(await listed(id)).toMatchObject({ user_id: "v-user", session_id: "v-session", tags: ["chat"], metadata: { feature: "search" } });
  expect((await kalmia.getJson("/api/v1/traces?metadata.feature=search")).traces.map((t: any) => t.id)).toEqual([id]);
});

test("Traceloop: traceloop.association.properties.*", async () => {
  const id = await send({ "traceloop.association.properties.user_id": "tl-user", "traceloop.association.properties.session_id": "tl-session", "traceloop.association.properties.tenant": "initech" });
  expect(await listed(id)).toMatchObject({ user_id: "tl-user", session_id: "tl-session", metadata: { tenant: "initech" } });
});

test("a 10,000-character user id from an exporter, who cannot fix it, is stored cut to its bound, never refused", async () => {
  const id = await send({ "user.id": "u".repeat(10_000), "tag.tags": Array.from({ length: 1_000 }, (_, i) => `t${i}`) });
  const trace = await listed(id);
  expect(trace.user_id).toBe("u".repeat(512));
  expect(trace.tags).toHaveLength(100);
});
