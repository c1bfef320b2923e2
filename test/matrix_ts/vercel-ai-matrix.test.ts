// The Vercel AI SDK 7 (ai + @ai-sdk/openai + @ai-sdk/anthropic) through the proxy and through its own
// OpenTelemetry integration (@ai-sdk/otel, registered with registerTelemetry) exporting to Kalmia.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OpenTelemetry } from "@ai-sdk/otel";
import { generateText, isStepCount, registerTelemetry, streamText, tool, jsonSchema } from "ai";
import { kalmiaTelemetry } from "./packed-sdk.ts";
import { ANSWER, checkLlmSpan, FINAL, finishedTraces, getJson, KEY, MatrixPath, SYSTEM, startMatrixStack, type MatrixStack, type PathName } from "./matrix-stack.ts";

let stack: MatrixStack;
let tracing: BasicTracerProvider;
const OTEL_PROJECT = "matrix-ai-otel";

beforeAll(async () => {
  stack = await startMatrixStack();
  // The docs' ai 7 setup (docs/integrations/vercel-ai-sdk.md): an OTel tracer provider exporting to
  // Kalmia, and the AI SDK's OpenTelemetry integration registered once.
  tracing = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${stack.kalmiaUrl}/api/v1/otel/v1/traces`, headers: { authorization: `Bearer ${KEY}`, "x-kalmia-project": OTEL_PROJECT } }))],
  });
  trace.setGlobalTracerProvider(tracing);
}, 60_000);
afterAll(async () => {
  await tracing?.shutdown();
  await stack?.stop();
}, 30_000);

const weather = tool({
  description: "Get weather for a city",
  inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
  execute: async ({ city }) => `${city}: 18C`,
});

type Model = { name: string; model: string; provider: string; make(path: MatrixPath): any };
const MODELS: Model[] = [
  { name: "openai-responses", model: "gpt-4o", provider: "openai", make: (p) => createOpenAI({ baseURL: p.openaiBase(), apiKey: "sk-test", headers: p.headers() })("gpt-4o") },
  { name: "openai-chat", model: "gpt-4o", provider: "openai", make: (p) => createOpenAI({ baseURL: p.openaiBase(), apiKey: "sk-test", headers: p.headers() }).chat("gpt-4o") },
  { name: "anthropic", model: "claude-sonnet-4-5", provider: "anthropic", make: (p) => createAnthropic({ baseURL: `${p.anthropicBase()}/v1`, apiKey: "sk-ant-test", headers: p.headers() })("claude-sonnet-4-5") },
];

let registered = false;

/** On the OTel path, the spans of one cell: its system prompt carries the cell's name, found with `q`. */
async function otelSpans(cell: string, llmSpans: number): Promise<any[]> {
  await tracing.forceFlush();
  let spans: any[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const listed = (await getJson(stack.kalmiaUrl, `/api/v1/traces?project=${OTEL_PROJECT}&q=${encodeURIComponent(cell)}`)).traces;
    if (listed.length) {
      const full = await getJson(stack.kalmiaUrl, `/api/v1/traces/${listed[0].id}`);
      spans = full.spans;
      if (spans.filter((span) => span.type === "llm").length >= llmSpans && spans.every((span) => span.status !== "running")) return spans;
    }
    await Bun.sleep(25);
  }
  return spans;
}

describe.each(["proxy", "otel"] as PathName[])("ai 7 through the %s", (pathName) => {
  beforeAll(() => {
    if (pathName === "otel" && !registered) {
      registerTelemetry(new OpenTelemetry());
      registered = true;
    }
  });

  for (const m of MODELS) {
    for (const streamed of [false, true]) {
      test(`${m.name} ${streamed ? "streamText" : "generateText"}: the answer, and a complete llm span`, async () => {
        const path = new MatrixPath(pathName === "otel" ? "proxy" : pathName, stack, `ai-${m.name}-${streamed}`);
        const cell = path.project;
        const direct = new MatrixPath("otel", stack, "direct");
        const system = `${SYSTEM} ${cell}`;
        const run = async (model: any) => {
          if (!streamed) return (await generateText({ model, system, prompt: "Hello!" })).text;
          const result = streamText({ model, system, prompt: "Hello!" });
          let text = "";
          for await (const delta of result.textStream) text += delta;
          return text;
        };
        const text = await run(m.make(pathName === "proxy" ? path : direct));
        expect(text).toBe(ANSWER);
        const spans = pathName === "proxy" ? await path.llmSpans() : (await otelSpans(cell, 1)).filter((span) => span.type === "llm");
        checkLlmSpan(spans[0], pathName, { model: m.model, provider: m.provider, system: SYSTEM, streamed });
      });
    }

    test(`${m.name} tool loop: tool calls, then the final answer; on OTel nested under the agent run`, async () => {
      const path = new MatrixPath("proxy", stack, `ai-${m.name}-tools`);
      const cell = path.project;
      const model = m.make(pathName === "proxy" ? path : new MatrixPath("otel", stack, "direct"));
      const result = await generateText({ model, system: `${SYSTEM} ${cell}`, prompt: "Weather in Tokyo?", tools: { get_weather: weather }, stopWhen: isStepCount(3) });
      expect(result.text).toStartWith(FINAL);
      const spans = pathName === "proxy" ? await path.llmSpans(2) : await otelSpans(cell, 2);
      const llm = spans.filter((span) => span.type === "llm");
      checkLlmSpan(llm[0], pathName, { model: m.model, provider: m.provider, system: SYSTEM, text: null, tool: "get_weather" });
      checkLlmSpan(llm.at(-1), pathName, { model: m.model, provider: m.provider, system: SYSTEM, text: FINAL });
      if (pathName === "otel") {
        const root = spans.find((span) => span.span_parents.length === 0);
        expect(root.type).toBe("task");
        const tools = spans.filter((span) => span.type === "tool");
        expect(tools.map((span) => span.name)).toContain("get_weather");
        const byId = new Map(spans.map((span) => [span.span_id, span]));
        for (const span of [...llm, ...tools]) {
          let at = span;
          while (at.span_parents.length) at = byId.get(at.span_parents[0]) ?? { span_parents: [] };
          expect(at.span_id).toBe(root.span_id);
        }
      }
    });
  }
});

test("the OTLP endpoint answers 401 to an exporter without Kalmia's key", async () => {
  const response = await fetch(`${stack.kalmiaUrl}/api/v1/otel/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"resourceSpans":[]}' });
  expect(response.status).toBe(401);
  expect(await finishedTraces(stack.kalmiaUrl, "nothing-here", 0)).toEqual([]);
});

describe("ai 7 with @kalmia/sdk's kalmiaTelemetry() (no OpenTelemetry)", () => {
  for (const m of MODELS) {
    for (const streamed of [false, true]) {
      test(`${m.name} ${streamed ? "streamText" : "generateText"}: a task span holding a complete llm span`, async () => {
        const path = new MatrixPath("sdk", stack, `ai-kalmia-${m.name}-${streamed}`);
        const model = m.make(new MatrixPath("otel", stack, "direct"));
        const telemetry = { integrations: kalmiaTelemetry() };
        let text: string;
        if (streamed) {
          const result = streamText({ model, system: SYSTEM, prompt: "Hello!", telemetry });
          text = "";
          for await (const delta of result.textStream) text += delta;
        } else {
          text = (await generateText({ model, system: SYSTEM, prompt: "Hello!", telemetry })).text;
        }
        expect(text).toBe(ANSWER);
        const [span] = await path.llmSpans(1, 2);
        checkLlmSpan(span, "sdk", { model: m.model, provider: m.provider, streamed });
      });
    }

    test(`${m.name} tool loop: llm and tool spans nested under the call's task span`, async () => {
      const path = new MatrixPath("sdk", stack, `ai-kalmia-${m.name}-tools`);
      const model = m.make(new MatrixPath("otel", stack, "direct"));
      const result = await generateText({ model, system: SYSTEM, prompt: "Weather in Tokyo?", tools: { get_weather: weather }, stopWhen: isStepCount(3), telemetry: { integrations: kalmiaTelemetry() } });
      expect(result.text).toStartWith(FINAL);
      const [trace] = await finishedTraces(stack.kalmiaUrl, path.project, 1, 4);
      const root = trace.spans.find((span: any) => span.span_parents.length === 0);
      expect(root.type).toBe("task");
      const llm = trace.spans.filter((span: any) => span.type === "llm").sort((a: any, b: any) => a.metrics.start - b.metrics.start);
      const tools = trace.spans.filter((span: any) => span.type === "tool");
      expect(tools.map((span: any) => span.name)).toContain("get_weather");
      for (const span of [...llm, ...tools]) expect(span.span_parents).toEqual([root.span_id]);
      checkLlmSpan(llm[0], "sdk", { model: m.model, provider: m.provider, text: null, tool: "get_weather" });
      checkLlmSpan(llm.at(-1), "sdk", { model: m.model, provider: m.provider, text: FINAL });
      expect(JSON.stringify(tools[0].output)).toContain("18C");
    });
  }
});
