// The Vercel AI SDK 6 with `experimental_telemetry` exporting OpenTelemetry to Kalmia (docs/integrations/
// vercel-ai-sdk.md's ai 6 recipe). Only one `ai` major can be the repository's devDependency (ai 7), so
// ai 6 with its own provider packages is installed into a project of its own, and the recipe
// (ai6/recipe.mjs) runs there as a program: generateText, streamText and a tool loop on each model.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { freshProject, mustRun, removeInstallDirs, rootVersion } from "../packaging/npm-project.ts";
import { ANSWER, checkLlmSpan, FINAL, getJson, KEY, SYSTEM, startMatrixStack, type MatrixStack } from "./matrix-stack.ts";

// ai 6's last release, with the @ai-sdk provider majors made for it; the OTel packages are the root's.
const AI6 = ["ai@6.0.333", "@ai-sdk/openai@3.0.141", "@ai-sdk/anthropic@3.0.140"];
const OTEL = ["@opentelemetry/api", "@opentelemetry/sdk-trace-node", "@opentelemetry/exporter-trace-otlp-proto"];
const PROJECT = "matrix-ai6-otel";
const MODELS = [
  { name: "openai-responses", model: "gpt-4o", provider: "openai" },
  { name: "openai-chat", model: "gpt-4o", provider: "openai" },
  { name: "anthropic", model: "claude-sonnet-4-5", provider: "anthropic" },
];

let stack: MatrixStack;
let answers: Record<string, string>;

beforeAll(async () => {
  const [started, project] = await Promise.all([startMatrixStack(), freshProject([...AI6, ...OTEL.map((name) => `${name}@${rootVersion(name === "@opentelemetry/sdk-trace-node" ? "@opentelemetry/sdk-trace-base" : name)}`)])]);
  stack = started;
  cpSync(join(import.meta.dir, "ai6/recipe.mjs"), join(project, "recipe.mjs"));
  const env = { KALMIA_URL: stack.kalmiaUrl, KALMIA_KEY: KEY, KALMIA_PROJECT: PROJECT, OPENAI_BASE_URL: `${stack.upstream.url}/v1`, ANTHROPIC_BASE_URL: stack.upstream.url, SYSTEM };
  answers = JSON.parse(await mustRun([process.execPath, "recipe.mjs"], { cwd: project, env }));
}, 120_000);
afterAll(async () => {
  await Promise.all([stack?.stop(), removeInstallDirs()]);
}, 60_000);

/** The spans of one cell's trace, found by the cell's name in its system prompt, once every span ended. */
async function cellSpans(cell: string, llmSpans: number): Promise<any[]> {
  let spans: any[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const listed = (await getJson(stack.kalmiaUrl, `/api/v1/traces?project=${PROJECT}&q=${encodeURIComponent(cell)}`)).traces;
    if (listed.length) {
      spans = (await getJson(stack.kalmiaUrl, `/api/v1/traces/${listed[0].id}`)).spans;
      if (spans.filter((span) => span.type === "llm").length >= llmSpans && spans.every((span) => span.status !== "running")) return spans;
    }
    await Bun.sleep(25);
  }
  return spans;
}

/** The word in a cell's system prompt (ai6/recipe.mjs). */
const cellWord = (model: string, cell: string) => `ai6${model.replaceAll("-", "")}${cell}`;

const byStart = (spans: any[]) => spans.filter((span) => span.type === "llm").sort((a, b) => a.metrics.start - b.metrics.start);

describe("ai 6 with experimental_telemetry, exporting OTLP to Kalmia", () => {
  for (const m of MODELS) {
    for (const streamed of [false, true]) {
      const cell = cellWord(m.name, streamed ? "stream" : "generate");
      test(`${m.name} ${streamed ? "streamText" : "generateText"}: the answer, and a complete, priced llm span`, async () => {
        expect(answers[`${m.name}-${streamed ? "stream" : "generate"}`]).toBe(ANSWER);
        const [llm] = byStart(await cellSpans(cell, 1));
        checkLlmSpan(llm, "otel", { model: m.model, provider: m.provider, streamed });
      });
    }

    test(`${m.name} tool loop: the tool call, the final answer, nested under the generateText span`, async () => {
      expect(answers[`${m.name}-tools`]).toStartWith(FINAL);
      const spans = await cellSpans(cellWord(m.name, "tools"), 2);
      const llm = byStart(spans);
      checkLlmSpan(llm[0], "otel", { model: m.model, provider: m.provider, text: null, tool: "get_weather" });
      checkLlmSpan(llm.at(-1), "otel", { model: m.model, provider: m.provider, text: FINAL });
      const tools = spans.filter((span) => span.type === "tool");
      expect(tools.map((span) => span.name)).toContain("get_weather");
      const root = spans.find((span) => span.span_parents.length === 0);
      const byId = new Map(spans.map((span) => [span.span_id, span]));
      for (const span of [...llm, ...tools]) {
        let at = span;
        while (at.span_parents.length) at = byId.get(at.span_parents[0]) ?? { span_parents: [] };
        expect(at.span_id).toBe(root.span_id);
      }
    });
  }
});
