/**
 * The docs' weather-agent run ("Agent Tracing"), as the Python SDK sends it:
 * a root task span, two Anthropic LLM calls with tool_use blocks, and two
 * get_weather tool spans in between — span rows per docs/SPANS.md.
 */
export function weatherAgentRows(traceId: string, startAt = Date.now() / 1000 - 10) {
  const prompt = "Compare weather in Tokyo and New York";
  const model = { provider: "anthropic", model: "claude-sonnet-4-20250514" };
  const tools = [{ name: "get_weather", description: "Get weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
  const firstAnswer = {
    role: "assistant",
    content: [
      { type: "text", text: "I'll look up both cities." },
      { type: "tool_use", id: "toolu_tokyo", name: "get_weather", input: { city: "Tokyo" } },
      { type: "tool_use", id: "toolu_nyc", name: "get_weather", input: { city: "New York" } },
    ],
  };
  const results = {
    role: "user",
    content: [
      { type: "tool_result", tool_use_id: "toolu_tokyo", content: '{"city": "Tokyo", "temp_c": 18, "conditions": "cloudy"}' },
      { type: "tool_result", tool_use_id: "toolu_nyc", content: '{"city": "New York", "temp_c": 9, "conditions": "rain"}' },
    ],
  };
  const finalText = "Tokyo is 18°C and cloudy; New York is colder at 9°C with rain.";
  const t = (s: number) => startAt + s;
  const child = (id: string) => ({ id: `${traceId}-${id}`, root_span_id: traceId, span_parents: [traceId] });
  return [
    {
      id: traceId,
      root_span_id: traceId,
      span_attributes: { name: "weather-agent", type: "task" },
      input: prompt,
      output: finalText,
      metrics: { start: t(0), end: t(4) },
    },
    {
      ...child("llm-1"),
      span_attributes: { name: "anthropic.messages.create", type: "llm" },
      input: [{ role: "user", content: prompt }],
      output: firstAnswer,
      metadata: { ...model, tools, max_tokens: 1024 },
      metrics: { start: t(0.1), end: t(1.5), time_to_first_token: 0.4, prompt_tokens: 120, completion_tokens: 60, tokens: 180 },
    },
    {
      ...child("tool-tokyo"),
      span_attributes: { name: "get_weather", type: "tool" },
      input: { city: "Tokyo" },
      output: { city: "Tokyo", temp_c: 18, conditions: "cloudy" },
      metrics: { start: t(1.6), end: t(1.9) },
    },
    {
      ...child("tool-nyc"),
      span_attributes: { name: "get_weather", type: "tool" },
      input: { city: "New York" },
      output: { city: "New York", temp_c: 9, conditions: "rain" },
      metrics: { start: t(1.95), end: t(2.2) },
    },
    {
      ...child("llm-2"),
      span_attributes: { name: "anthropic.messages.create", type: "llm" },
      input: [{ role: "user", content: prompt }, firstAnswer, results],
      output: { role: "assistant", content: [{ type: "text", text: finalText }] },
      metadata: { ...model, tools, max_tokens: 1024 },
      metrics: { start: t(2.3), end: t(3.9), time_to_first_token: 0.3, prompt_tokens: 260, completion_tokens: 40, tokens: 300 },
    },
  ];
}
