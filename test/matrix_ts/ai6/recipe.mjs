// docs/integrations/vercel-ai-sdk.md's ai 6 recipe, run by vercel-ai-6-matrix.test.ts in a project of its
// own where ai 6 and its provider packages are installed (the repository's root has ai 7). An OTel tracer
// provider exports to Kalmia; each call opts in with `experimental_telemetry`. The environment names the
// server, the project and the fake provider; each cell's system prompt carries the cell's name, so its
// trace can be found. Prints each cell's answer as JSON.
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";

const { KALMIA_URL, KALMIA_KEY, KALMIA_PROJECT, OPENAI_BASE_URL, ANTHROPIC_BASE_URL, SYSTEM } = process.env;

// The recipe: a tracer provider exporting to Kalmia's OTLP endpoint, registered globally with Node's
// context manager (without one, ai 6's spans of one call land in separate traces).
const provider = new NodeTracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor(
      new OTLPTraceExporter({
        url: `${KALMIA_URL}/api/v1/otel/v1/traces`,
        headers: { authorization: `Bearer ${KALMIA_KEY}`, "x-kalmia-project": KALMIA_PROJECT },
      }),
    ),
  ],
});
provider.register();

const openai = createOpenAI({ baseURL: OPENAI_BASE_URL, apiKey: "sk-test" });
const anthropic = createAnthropic({ baseURL: `${ANTHROPIC_BASE_URL}/v1`, apiKey: "sk-ant-test" });
const MODELS = { "openai-responses": openai("gpt-4o"), "openai-chat": openai.chat("gpt-4o"), anthropic: anthropic("claude-sonnet-4-5") };
const weather = tool({
  description: "Get weather for a city",
  inputSchema: jsonSchema({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
  execute: async ({ city }) => `${city}: 18C`,
});

const answers = {};
for (const [name, model] of Object.entries(MODELS)) {
  // One word per cell, so that searching for it finds that cell's trace alone.
  const word = (cell) => `ai6${name.replaceAll("-", "")}${cell}`;
  const telemetry = (cell) => ({ isEnabled: true, functionId: word(cell) });
  const system = (cell) => `${SYSTEM} ${word(cell)}`;
  answers[`${name}-generate`] = (await generateText({ model, system: system("generate"), prompt: "Hello!", experimental_telemetry: telemetry("generate") })).text;
  const stream = streamText({ model, system: system("stream"), prompt: "Hello!", experimental_telemetry: telemetry("stream") });
  let text = "";
  for await (const delta of stream.textStream) text += delta;
  answers[`${name}-stream`] = text;
  const tools = await generateText({
    model,
    system: system("tools"),
    prompt: "Weather in Tokyo?",
    tools: { get_weather: weather },
    stopWhen: stepCountIs(3),
    experimental_telemetry: telemetry("tools"),
  });
  answers[`${name}-tools`] = tools.text;
}
await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify(answers));
