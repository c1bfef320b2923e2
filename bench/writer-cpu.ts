/**
 * What the writer costs per stored row, in CPU: Postgres's (this database's backends and the
 * cluster's background processes) and this process's (building the statements, postgres.js), by
 * batch size and by the number of day partitions kept. Rows shaped like the proxy's, one enqueue
 * each, a batch of them at a time through the real writer on a fresh database.
 *   BENCH_DATABASE_URL=postgres://… ./node_modules/.bin/bun bench/writer-cpu.ts
 *   BENCH_BATCH_ROWS=1,30 BENCH_PAST_DAYS=0,30 BENCH_ROWS (3000 per case) size it.
 */
import { sql } from "drizzle-orm";
import { openStore } from "../db/store.ts";
import { createWriter } from "../db/write/writer.ts";
import type { SpanRowInput } from "../db/write/span-row.ts";
import { createPricing } from "../server/pricing/pricing.ts";
import { freshPostgresDatabase } from "../test/harness/postgres.ts";
import { cpuMeter } from "./proc-cpu.ts";
import { machine } from "./stats.ts";

const baseUrl = process.env.BENCH_DATABASE_URL;
if (!baseUrl) throw new Error("BENCH_DATABASE_URL must name a Postgres cluster (a database is made and dropped per case)");
const list = (value: string | undefined, fallback: number[]) => (value ? value.split(",").map(Number) : fallback);
const batchSizes = list(process.env.BENCH_BATCH_ROWS, [1, 30]);
const pastDays = list(process.env.BENCH_PAST_DAYS, [0, 30]);
const rowsPerCase = Number(process.env.BENCH_ROWS ?? 3000);
const DAY_MS = 86_400_000;

/** One proxied call's span row, as server/proxy/proxy-span.ts writes it. */
function proxyRow(): SpanRowInput {
  const id = crypto.randomUUID();
  const start = Date.now() / 1000;
  return {
    id, span_id: id, root_span_id: id, span_parents: [], span_attributes: { name: "chat.completions", type: "llm" },
    input: [{ role: "user", content: "Hello! What is the weather in Paris today?" }],
    output: { role: "assistant", content: "It is sunny and 21 degrees in Paris today.", refusal: null },
    status: "ok" as const,
    metadata: { provider: "openai", model: "gpt-4o", temperature: 0.2, finish_reason: "stop", http_status: 200, request_id: `req_${id.slice(0, 12)}` },
    metrics: { start, end: start + 0.02, time_to_first_token: 0.02, prompt_tokens: 12, completion_tokens: 14, tokens: 26 },
  };
}

async function measure(batchRows: number, days: number) {
  const database = await freshPostgresDatabase(baseUrl!);
  const store = await openStore({ databaseUrl: database.url, dataDir: "" });
  try {
    for (let d = 2; d <= days; d++) await store.partitions.ensureDay(new Date(Date.now() - d * DAY_MS));
    // The day partitions of traces (spans has as many).
    const [kept] = await store.database.rows<{ n: number }>(sql`select count(*)::int as n from pg_inherits where inhparent = 'traces'::regclass`);
    const writer = createWriter({ db: store.db, projects: store.projects, pricing: createPricing(), partitions: store.partitions, concurrency: 1, logEvents: true, lockTraces: true, log: () => {} });
    const batch = () => Promise.all(Array.from({ length: batchRows }, () => writer.enqueue("bench", "proxy", [proxyRow()], [], { background: true })));
    for (let i = 0; i < Math.max(20, 300 / batchRows); i++) await batch(); // plans made, connections open
    const batches = Math.ceil(rowsPerCase / batchRows);
    const meter = cpuMeter(process.pid, new URL(database.url).pathname.slice(1));
    const started = performance.now();
    for (let i = 0; i < batches; i++) await batch();
    const cpu = meter.stop();
    const rows = batches * batchRows;
    const per = (ms: number) => ((ms * 1000) / rows).toFixed(0);
    console.log(`| ${batchRows} | ${kept!.n} | ${per(cpu.postgresMs!)} | ${per(cpu.kalmiaMs)} | ${per(performance.now() - started)} |`);
    await writer.drain(10_000);
  } finally {
    await store.close();
    await database.drop();
  }
}

console.log(`### Writer CPU per row — ${new Date().toISOString()}\nMachine: ${machine()}. Command: \`BENCH_DATABASE_URL=… ./node_modules/.bin/bun bench/writer-cpu.ts\` (${rowsPerCase} rows per case, one writer slot).`);
console.log("| rows per batch | day partitions | Postgres µs/row | Kalmia µs/row | wall µs/row |\n|---|---|---|---|---|");
for (const days of pastDays) for (const size of batchSizes) await measure(size, days);
