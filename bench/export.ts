/**
 * OpenTelemetry ingestion and export benchmark (issue 9):
 *   1. OTLP/HTTP protobuf ingest: committed spans per second, agent-run
 *      shaped GenAI spans (1 agent + 2 chat + 2 tool spans a trace) made by
 *      the real OTel JS SDK and serialised by its own protobuf serializer;
 *   2. GET /api/v1/traces/export: traces per second and the server's RSS
 *      before and at peak while the whole export streams.
 *   bun bench/export.ts                                   (PGlite)
 *   BENCH_DATABASE_URL=postgres://… bun bench/export.ts   (Postgres)
 *   BENCH_TRACES=20000 BENCH_CONCURRENCY=4 to change the size.
 */
import { readFileSync } from "node:fs";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { context, trace } from "@opentelemetry/api";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine } from "./stats.ts";

const TRACES = Number(process.env.BENCH_TRACES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TRACES_PER_REQUEST = 100;

function otlpBodies(): Uint8Array[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "otel-bench" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("bench");
  const bodies: Uint8Array[] = [];
  for (let t = 0; t < TRACES; t++) {
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
    if ((t + 1) % TRACES_PER_REQUEST === 0 || t === TRACES - 1) {
      bodies.push(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!);
      memory.reset();
    }
  }
  return bodies;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

async function ingest(url: string, bodies: Uint8Array[]) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${url}/api/v1/otel/v1/traces`, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/x-protobuf" } });
      if (response.status !== 200) throw new Error(`OTLP answered ${response.status}`);
      await response.arrayBuffer();
    }
  }));
  return (performance.now() - started) / 1000;
}

async function exportAll(url: string, pid: number) {
  const before = rssMb(pid);
  let peak = before;
  let lines = 0;
  let bytes = 0;
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/traces/export`);
  for await (const chunk of response.body!) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
    peak = Math.max(peak, rssMb(pid));
  }
  return { lines, bytes, seconds: (performance.now() - started) / 1000, before, peak };
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
const bodies = otlpBodies();
const server = await startKalmia(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
try {
  const spans = TRACES * 5;
  const seconds = await ingest(server.url, bodies);
  const kind = databaseUrl ? "postgres" : "pglite";
  console.log(`${kind}: OTLP protobuf ingest ${Math.round(spans / seconds)} committed spans/s (${spans} spans, ${TRACES} traces in ${seconds.toFixed(1)} s; ${TRACES_PER_REQUEST * 5} spans/request, concurrency ${CONCURRENCY})`);
  // Twice: the first pass also grows the database's own caches (PGlite's
  // WASM heap never shrinks); the second shows the export's steady state.
  for (const pass of ["first", "second"]) {
    const e = await exportAll(server.url, server.pid);
    if (e.lines !== TRACES) throw new Error(`export gave ${e.lines} traces, expected ${TRACES}`);
    console.log(`${kind}: export (${pass} pass) ${Math.round(e.lines / e.seconds)} traces/s (${e.lines} traces, ${(e.bytes / 1e6).toFixed(0)} MB NDJSON in ${e.seconds.toFixed(1)} s); server RSS ${e.before.toFixed(0)} MB before, ${e.peak.toFixed(0)} MB peak`);
  }
  console.log(`machine: ${machine()}`);
} finally {
  await server.stop();
}
