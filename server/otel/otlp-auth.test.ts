import { afterAll, beforeAll, expect, test } from "bun:test";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess({ KALMIA_API_KEYS: "otel-key-1" });
});
afterAll(() => kalmia.stop());

/** Exports one span through the real exporter and returns its trace id and the export's result code (0 ok, 1 failed). */
async function exportOneSpan(headers: Record<string, string>) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "otel-auth" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const span = provider.getTracer("auth").startSpan("keyed");
  span.end();
  const exporter = new OTLPTraceExporter({ url: `${kalmia.url}/api/v1/otel/v1/traces`, headers });
  const code = await new Promise<number>((resolve) => exporter.export(memory.getFinishedSpans(), (r) => resolve(r.code)));
  await exporter.shutdown();
  return { traceId: span.spanContext().traceId, code };
}

test("with API keys, an exporter sending Authorization: Bearer <key> is let in and one without is refused", async () => {
  const keyed = await exportOneSpan({ authorization: "Bearer otel-key-1" });
  expect(keyed.code).toBe(0);
  const read = (id: string) => fetch(`${kalmia.url}/api/v1/traces/${id}`, { headers: { authorization: "Bearer otel-key-1" } });
  expect((await read(keyed.traceId)).status).toBe(200);
  const anonymous = await exportOneSpan({});
  expect(anonymous.code).toBe(1);
  expect((await read(anonymous.traceId)).status).toBe(404);
  const refused = await fetch(`${kalmia.url}/api/v1/otel/v1/traces`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
  expect(refused.status).toBe(401);
  const exported = await fetch(`${kalmia.url}/api/v1/traces/export`);
  expect(exported.status).toBe(401);
});
