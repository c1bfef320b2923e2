import { deflateSync } from "node:zlib";

/**
 * Traces shaped like a week of real agent traffic (issue 24): a 20 KB prompt, a 216 KB Markdown
 * answer, a 300 KB base64 screenshot, a failed SQL tool, a 429, a job stuck running and a proxied
 * call whose tool ran in the caller's next request.
 */
export const MESSY_TRACE = "messy-run";
export const STALE_TRACE = "stuck-job";
export const HANDOFF_TRACE = "proxied-handoff";

/** A real PNG of random pixels, stored uncompressed so its base64 is about 300 KB. */
export function noisePng(width = 290, height = 260): string {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let i = 1; i <= width * 3; i++) raw[y * (width * 3 + 1) + i] = (i * 7 + y * 13) & 0xff;
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(Bun.hash.crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 0 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return png.toString("base64");
}

const longPrompt = () =>
  Array.from({ length: 220 }, (_, i) => `Rule ${i + 1}: when the customer asks about invoice ${i}, check the ledger first and cite it.`).join("\n");

/** About 216 KB of Markdown: headings, a list, a code block and a table, repeated. */
export function longAnswer(): string {
  const section = (i: number) =>
    [`## Finding ${i}`, "", `- revenue grew **${i}%**`, "- churn fell", "", "```sql", `select * from invoices where id = ${i};`, "```", "", "| region | total |", "|---|---|", `| EU | ${i * 10} |`, "", "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(30)].join("\n");
  let text = "# Quarterly report\n\n";
  for (let i = 1; text.length < 216_000; i++) text += `${section(i)}\n\n`;
  return text;
}

export function messyRows(remoteImage: string) {
  const now = Date.now() / 1000;
  const base = now - 120;
  const sqlCall = { id: "call_sql", type: "function", function: { name: "run_sql", arguments: '{"query": "select count(*) from users"}' } };
  const history = [
    { role: "system", content: longPrompt() },
    { role: "user", content: "How many users signed up last week?" },
  ];
  const png = noisePng();
  const at = (start: number, end: number | null) => ({ start: base + start, ...(end !== null && { end: base + end }) });
  return [
    { id: MESSY_TRACE, root_span_id: MESSY_TRACE, span_attributes: { name: "support-agent", type: "task" }, input: "How many users signed up last week?", metrics: at(0, 60) },
    {
      id: "llm-1",
      root_span_id: MESSY_TRACE,
      span_parents: [MESSY_TRACE],
      span_attributes: { name: "plan", type: "llm" },
      input: history,
      output: { role: "assistant", content: null, tool_calls: [sqlCall] },
      metadata: { provider: "openai", model: "gpt-4o" },
      metrics: { ...at(1, 3), time_to_first_token: 0.42, prompt_tokens: 5200, completion_tokens: 30, cost_usd: 0.0133 },
    },
    { id: "tool-sql", root_span_id: MESSY_TRACE, span_parents: ["llm-1"], span_attributes: { name: "run_sql", type: "tool" }, input: { query: "select count(*) from users" }, error: { message: 'relation "users" does not exist', code: "42P01" }, metrics: at(3, 4) },
    {
      id: "tool-lookup",
      root_span_id: MESSY_TRACE,
      span_parents: [MESSY_TRACE],
      span_attributes: { name: "lookup_account", type: "tool" },
      input: { id: 42 },
      output: JSON.stringify({ account: { id: 42, plan: "pro", seats: [1, 2, 3], owner: { name: "Ada", email: "ada@example.com" } } }),
      metrics: at(4, 5),
    },
    {
      id: "llm-2",
      root_span_id: MESSY_TRACE,
      span_parents: [MESSY_TRACE],
      span_attributes: { name: "answer", type: "llm" },
      input: [...history, { role: "assistant", content: null, tool_calls: [sqlCall] }, { role: "tool", tool_call_id: "call_sql", content: "ERROR" }],
      output: { role: "assistant", content: longAnswer() },
      metadata: { provider: "openai", model: "gpt-4o" },
      metrics: { ...at(5, 30), prompt_tokens: 5300, completion_tokens: 52000, cost_usd: 0.52 },
    },
    {
      id: "llm-429",
      root_span_id: MESSY_TRACE,
      span_parents: [MESSY_TRACE],
      span_attributes: { name: "summarise", type: "llm" },
      input: [{ role: "user", content: "Summarise the report in one line." }],
      error: { message: "Rate limit reached for gpt-4o in organization org-1 on tokens per min." },
      metadata: { provider: "openai", model: "gpt-4o", http_status: 429 },
      metrics: at(31, 32),
    },
    {
      id: "llm-vision",
      root_span_id: MESSY_TRACE,
      span_parents: [MESSY_TRACE],
      span_attributes: { name: "describe-screenshot", type: "llm" },
      input: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is on this dashboard screenshot?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
            { type: "image_url", image_url: { url: remoteImage } },
          ],
        },
      ],
      output: { role: "assistant", content: "A chart of weekly signups, flat since Monday." },
      metadata: { provider: "openai", model: "gpt-4o" },
      metrics: { ...at(33, 36), prompt_tokens: 1100, completion_tokens: 12, cost_usd: 0.00004 },
    },
    { id: "tool-mail", root_span_id: MESSY_TRACE, span_parents: [MESSY_TRACE], span_attributes: { name: "send_email", type: "tool" }, input: { to: "ops@example.com" }, error: "SMTP 550: mailbox unavailable", metrics: at(40, 41) },
  ];
}

/** A batch job that started three hours ago and was last heard from 2 h 50 m ago. */
export function staleRows() {
  const now = Date.now() / 1000;
  return [
    { id: STALE_TRACE, root_span_id: STALE_TRACE, span_attributes: { name: "nightly-reindex", type: "task" }, input: { shard: 7 }, metrics: { start: now - 3 * 3600 } },
    { id: "shard-step", root_span_id: STALE_TRACE, span_parents: [STALE_TRACE], span_attributes: { name: "load", type: "function" }, input: { shard: 7 }, output: { rows: 120 }, metrics: { start: now - 3 * 3600 + 60, end: now - 3 * 3600 + 600 } },
  ];
}

/** A finished proxied call that asked for a tool; the caller sends the result in its next request. */
export function handoffRows() {
  const now = Date.now() / 1000;
  return [
    {
      id: HANDOFF_TRACE,
      root_span_id: HANDOFF_TRACE,
      span_attributes: { name: "POST /v1/chat/completions", type: "llm" },
      input: { model: "gpt-4o", messages: [{ role: "user", content: "Weather in Oslo?" }] },
      output: { role: "assistant", content: null, tool_calls: [{ id: "call_wx", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
      metadata: { provider: "openai", model: "gpt-4o", http_status: 200 },
      metrics: { start: now - 5, end: now - 4 },
    },
  ];
}
