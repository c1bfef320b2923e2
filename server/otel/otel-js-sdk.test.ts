import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { ANSWER, CALLS, emitAgentRun, type AgentRun } from "./testing/gen-ai-agent-run.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

type Options = { encoding: "protobuf" | "json"; service: string; headers?: Record<string, string>; compression?: "gzip" };

function sdk({ encoding, service, headers, compression }: Options) {
  const Exporter = encoding === "protobuf" ? ProtoExporter : JsonExporter;
  const exporter = new Exporter({
    url: `${kalmia.url}/api/v1/otel/v1/traces`,
    headers,
    ...(compression ? { compression: compression as never } : {}),
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return { tracer: provider.getTracer("weather-agent", "1.0.0"), provider };
}

/** Checks what the conversation view shows for a GenAI agent run. */
async function expectAgentTrace(run: AgentRun, project: string) {
  const stored = await kalmia.getJson(`/api/v1/traces/${run.traceId}`);
  expect(stored.project).toBe(project);
  expect(stored.source).toBe("otel");
  expect(stored.name).toBe("invoke_agent weather-agent");
  expect(stored.status).toBe("ok");
  expect(stored.span_count).toBe(5);
  expect(stored.provider).toBe("openai");
  expect(stored.model).toBe("gpt-4o-2024-08-06");
  expect(stored.prompt_tokens).toBe(170);
  expect(stored.completion_tokens).toBe(55);
  const byId = new Map(stored.spans.map((s: any) => [s.span_id, s]));
  const root: any = byId.get(run.root);
  expect(root.span_parents).toEqual([]);
  expect(root.type).toBe("task");
  expect(root.metadata["gen_ai.agent.name"]).toBe("weather-agent");
  expect(root.metadata["app.user"]).toBe("u-42");
  for (const id of [...run.chats, ...run.tools]) {
    const span: any = byId.get(id);
    expect(span.span_parents).toEqual([run.root]);
    expect(span.root_span_id).toBe(run.traceId);
  }
  const [first, second]: any[] = run.chats.map((id) => byId.get(id));
  expect(first.type).toBe("llm");
  expect(first.metadata).toMatchObject({ provider: "openai", model: "gpt-4o-2024-08-06", request_model: "gpt-4o", temperature: 0.2 });
  expect(first.metrics).toMatchObject({ prompt_tokens: 50, completion_tokens: 30, tokens: 80 });
  expect(first.input).toEqual([
    { role: "system", content: "You are a weather assistant." },
    { role: "user", content: "What's the weather in Paris and Oslo?" },
  ]);
  expect(first.output.role).toBe("assistant");
  expect(first.output.tool_calls.map((c: any) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual(
    CALLS.map((c) => [c.id, "get_weather", { city: c.city }]),
  );
  expect(second.input.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool"]);
  expect(second.input[3]).toEqual({ role: "tool", content: CALLS[0]!.result, tool_call_id: "call_paris" });
  expect(second.output).toEqual({ role: "assistant", content: ANSWER });
  const tools = run.tools.map((id) => byId.get(id) as any);
  expect(tools.map((t) => [t.type, t.name, t.input, t.output, t.metadata.tool_call_id])).toEqual(
    CALLS.map((c) => ["tool", "get_weather", { city: c.city }, c.result, c.id]),
  );
  expect(stored.spans.every((s: any) => s.metrics.end >= s.metrics.start && s.status === "ok")).toBe(true);
}

describe("the OpenTelemetry JS SDK exporting GenAI spans to Kalmia", () => {
  test("an agent run over OTLP protobuf becomes one trace with nested llm and tool spans, models, tokens and messages", async () => {
    const { tracer, provider } = sdk({ encoding: "protobuf", service: "otel-proto-agent" });
    const run = await emitAgentRun(tracer);
    await provider.forceFlush();
    await expectAgentTrace(run, "otel-proto-agent");
    await provider.shutdown();
  });

  test("the same run over OTLP/JSON, gzipped, with spans flushed in separate requests, assembles into one trace", async () => {
    const { tracer, provider } = sdk({ encoding: "json", service: "otel-json-agent", compression: "gzip" });
    const run = await emitAgentRun(tracer, () => provider.forceFlush());
    await provider.forceFlush();
    await expectAgentTrace(run, "otel-json-agent");
    await provider.shutdown();
  });

  test("the x-kalmia-project header picks the project over service.name", async () => {
    const { tracer, provider } = sdk({ encoding: "protobuf", service: "ignored-service", headers: { "x-kalmia-project": "from-header" } });
    const run = await emitAgentRun(tracer);
    await provider.forceFlush();
    expect((await kalmia.getJson(`/api/v1/traces/${run.traceId}`)).project).toBe("from-header");
    await provider.shutdown();
  });

  test("a failed span carries its exception and marks the trace as an error", async () => {
    const { tracer, provider } = sdk({ encoding: "protobuf", service: "otel-errors" });
    const span = tracer.startSpan("execute_tool lookup", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup" } });
    const failure = new TypeError("city not found: Atlantis");
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: "lookup failed" });
    span.end();
    await provider.forceFlush();
    const stored = await kalmia.getJson(`/api/v1/traces/${span.spanContext().traceId}`);
    expect(stored.status).toBe("error");
    const [tool] = stored.spans;
    expect(tool.status).toBe("error");
    expect(tool.error.type).toBe("TypeError");
    expect(tool.error.message).toBe("city not found: Atlantis");
    expect(tool.error.stacktrace).toContain("TypeError");
    await provider.shutdown();
  });
});
