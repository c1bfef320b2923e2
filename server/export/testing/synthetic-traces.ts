/**
 * Agent-run traces in the ingest format for export tests and benchmarks:
 * a root task span and an llm span with messages and usage; every 10th
 * trace failed, every 7th carries trace-level metadata.
 */
export function syntheticTrace(n: number, project: string, start: number) {
  const id = `exp-${n}`;
  const t = start + n / 1000;
  const failed = n % 10 === 0;
  return {
    id,
    project_id: project,
    ...(n % 7 === 0 ? { metadata: { customer: `c-${n % 13}`, tier: "gold" } } : {}),
    spans: [
      {
        id: `${id}-root`,
        span_id: `${id}-root`,
        root_span_id: `${id}-root`,
        span_attributes: { name: "weather-agent", type: "task" },
        input: `question ${n}: what's the weather in city ${n % 97}?`,
        output: failed ? undefined : `It is ${n % 30}°C and ${n % 2 ? "sunny" : "cloudy"}.`,
        ...(failed ? { error: { message: `tool timeout ${n}`, type: "TimeoutError" } } : {}),
        metrics: { start: t, end: t + 1.25 },
      },
      {
        id: `${id}-llm`,
        span_id: `${id}-llm`,
        root_span_id: `${id}-root`,
        span_parents: [`${id}-root`],
        span_attributes: { name: "openai chat", type: "llm" },
        input: [
          { role: "system", content: "You are a weather assistant. Answer briefly and cite the tool output." },
          { role: "user", content: `what's the weather in city ${n % 97}?` },
        ],
        output: { role: "assistant", content: `It is ${n % 30}°C.`, tool_calls: n % 3 ? undefined : [{ id: `call_${n}`, type: "function", function: { name: "get_weather", arguments: `{"city":${n % 97}}` } }] },
        metadata: { provider: n % 2 ? "openai" : "anthropic", model: n % 2 ? "gpt-4o" : "claude-sonnet-4-5", temperature: 0.2 },
        metrics: { start: t + 0.1, end: t + 1.1, prompt_tokens: 40 + (n % 50), completion_tokens: 10 + (n % 20), time_to_first_token: 0.25 },
      },
    ],
  };
}

/** Posts traces in batches of the ingest limit, two requests in flight. */
export async function ingestSynthetic(url: string, count: number, project: string, start = Date.now() / 1000 - 86_000) {
  const batch = 5_000;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next += batch;
      const items = Array.from({ length: Math.min(batch, count - from) }, (_, i) => syntheticTrace(from + i, project, start));
      const response = await fetch(`${url}/api/v1/traces/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(items) });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all([worker(), worker()]);
}
