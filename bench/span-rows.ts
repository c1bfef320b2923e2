/** The benchmarks' span rows: ~1.8 KB of JSON each, an llm span with a 1.5 KB prompt, 10 spans a trace. */
const filler = "lorem ipsum dolor sit amet ".repeat(60).slice(0, 1500);

export function rows(prefix: string, n: number) {
  const now = Date.now() / 1000;
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    root_span_id: `${prefix}-${i - (i % 10)}`,
    span_parents: i % 10 ? [`${prefix}-${i - (i % 10)}`] : [],
    span_attributes: { name: "chat", type: "llm" as const },
    input: [{ role: "user", content: filler }],
    output: { role: "assistant", content: "ok" },
    metadata: { provider: i % 2 ? "openai" : "anthropic", model: "gpt-4o" },
    metrics: { start: now, end: now + 0.5, prompt_tokens: 100, completion_tokens: 20 },
  }));
}
