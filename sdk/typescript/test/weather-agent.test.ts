import assert from "node:assert/strict";
import type Anthropic from "@anthropic-ai/sdk";
import { traced, wrapAnthropic } from "../src/index.ts";
import { llmFixture, WEATHER_TOOL } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();

const weatherOf = (city: string) => ({ city, temperature_c: city.length + 10, conditions: "clear" });

// A tool does I/O; the pause also keeps span start times apart at the millisecond precision Kalmia stores.
async function getWeather(city: string) {
  await new Promise((resolve) => setTimeout(resolve, 3));
  return weatherOf(city);
}

test("the docs' weather agent, in TypeScript, is one trace: the run, then llm, tool, tool, llm spans in order", async () => {
  fx.project("weather-agent");
  // The docs' example, as written for the TypeScript SDK.
  const client = wrapAnthropic(fx.anthropic());
  const TOOLS = [WEATHER_TOOL];

  const runAgent = traced(async (prompt: string) => {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: prompt }];
    while (true) {
      const response = await client.messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 1024, tools: TOOLS, messages });
      const toolUses = response.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
      if (toolUses.length === 0) return response.content.find((b) => b.type === "text")?.text;
      const toolResults: Anthropic.ToolResultBlockParam[] = [];
      for (const toolUse of toolUses) {
        // Tool calls are captured as tool spans
        await traced({ name: toolUse.name, type: "tool" }, async (span) => {
          const result = await getWeather((toolUse.input as { city: string }).city);
          span.log({ input: toolUse.input, output: result });
          toolResults.push({ type: "tool_result", tool_use_id: toolUse.id, content: JSON.stringify(result) });
        });
      }
      messages.push({ role: "assistant", content: response.content });
      messages.push({ role: "user", content: toolResults });
    }
  }, { name: "weather-agent", type: "task" });

  const answer = await runAgent("Compare weather in Tokyo, New York, and San Francisco");
  assert.match(answer ?? "", /^Based on the tool results: /);

  const [trace] = await fx.traces(1);
  assert.equal(trace!.name, "weather-agent");
  // Kalmia keeps times to the millisecond: a span that starts in the same millisecond as the one before
  // it ended is ordered by its end. The root is the one without a parent.
  const root = trace!.spans.find((s) => s.span_parents.length === 0)!;
  const children = trace!.spans.filter((s) => s !== root).sort((a, b) => a.metrics.start! - b.metrics.start! || a.metrics.end! - b.metrics.end!);
  const spans = [root, ...children];
  assert.equal(root.type, "task");
  assert.deepEqual(root.span_parents, []);
  assert.equal(root.input, "Compare weather in Tokyo, New York, and San Francisco");
  assert.equal(root.output, answer);
  assert.deepEqual(spans.slice(1).map((s) => [s.type, s.name]), [
    ["llm", "anthropic.messages.create"],
    ["tool", "get_weather"],
    ["tool", "get_weather"],
    ["llm", "anthropic.messages.create"],
  ]);
  for (const span of spans.slice(1)) assert.deepEqual(span.span_parents, [root.id]);
  assert.deepEqual(spans.slice(2, 4).map((s) => s.input), [{ city: "Tokyo" }, { city: "New York" }]);
  assert.deepEqual(spans[2]!.output, weatherOf("Tokyo"));
  // The first call's input is what was sent then, not the conversation as it grew afterwards.
  assert.equal(spans[1]!.input.length, 1);
  assert.equal(spans[4]!.input.length, 3);
  assert.equal(spans[4]!.input[2].content[0].type, "tool_result");
  assert.equal(trace!.status, "ok");
});
