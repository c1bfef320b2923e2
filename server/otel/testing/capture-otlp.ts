import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * The exact bytes the real OTel JS protobuf exporter sends for one span,
 * caught by a throwaway local server: a genuine body to garble in tests.
 */
export async function captureProtobufBody(spanName = "captured"): Promise<Uint8Array> {
  let body: Uint8Array | null = null;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      body = await request.bytes();
      return new Response(new Uint8Array(), { headers: { "content-type": "application/x-protobuf" } });
    },
  });
  try {
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${server.port}/v1/traces` });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "captured" }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer("capture").startSpan(spanName, {
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 3 },
    });
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
  } finally {
    await server.stop(true);
  }
  if (!body) throw new Error("the exporter sent nothing");
  return body;
}
