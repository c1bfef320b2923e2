/**
 * OTLP/HTTP protobuf request bodies of agent-run shaped GenAI spans (1 agent + 2 chat + 2 tool spans
 * a trace), made by the real OTel JS SDK and serialised by its own protobuf serializer: what any
 * OTLP receiver (Kalmia's /api/v1/otel/v1/traces, Phoenix's /v1/traces) takes as is.
 */
import { readFileSync } from "node:fs";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { context, trace } from "@opentelemetry/api";

export const SPANS_PER_TRACE = 5;

/** `traces` traces, `tracesPerRequest` to a body; `ids` are every trace and span id in it, as bytes. */
export function agentTraceBodies(traces: number, tracesPerRequest: number): { body: Uint8Array; ids: Uint8Array[] }[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "otel-bench" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("bench");
  const bodies: { body: Uint8Array; ids: Uint8Array[] }[] = [];
  for (let t = 0; t < traces; t++) {
    const root = tracer.startSpan("invoke_agent weather-agent", { attributes: { "gen_ai.operation.name": "invoke_agent" } });
    const ctx = trace.setSpan(context.active(), root);
    for (const turn of [1, 2]) {
      const chat = tracer.startSpan("chat gpt-4o", { attributes: {
        "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 120 + turn, "gen_ai.usage.output_tokens": 30,
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: `question ${t}: what's the weather in Paris and Oslo?` }] }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: `answer ${t}, turn ${turn}` }] }]),
      } }, ctx);
      chat.end();
      if (turn === 1) {
        for (const city of ["Paris", "Oslo"]) {
          const tool = tracer.startSpan("execute_tool get_weather", { attributes: {
            "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather",
            "gen_ai.tool.call.arguments": JSON.stringify({ city }), "gen_ai.tool.call.result": JSON.stringify({ temp_c: 18 }),
          } }, ctx);
          tool.end();
        }
      }
    }
    root.end();
    if ((t + 1) % tracesPerRequest === 0 || t === traces - 1) {
      const spans = memory.getFinishedSpans();
      const ids = new Set(spans.flatMap((s) => [s.spanContext().traceId, s.spanContext().spanId]));
      bodies.push({ body: ProtobufTraceSerializer.serializeRequest(spans)!, ids: [...ids].map((hex) => Buffer.from(hex, "hex")) });
      memory.reset();
    }
  }
  return bodies;
}

/** A process's resident memory in MB (/proc/PID/status VmRSS). */
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
