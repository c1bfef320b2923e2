/**
 * Scale-out benchmark (issue 8): persisted proxied calls per second with one
 * and with two replicas on the same Postgres and the same 2-core machine.
 * Non-streamed chat calls with 20 ms of upstream latency, 200 in flight,
 * spread round-robin; a run ends when every call's span is stored.
 *   BENCH_DATABASE_URL=postgres://…/postgres bun bench/replicas.ts
 */
import postgres from "postgres";
import { startFakeUpstream } from "../test/fake-upstream/start-fake-upstream.ts";
import { freshPostgresDatabase } from "../test/harness/postgres.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine } from "./stats.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const IN_FLIGHT = 200;
const baseUrl = process.env.BENCH_DATABASE_URL;
if (!baseUrl) throw new Error("set BENCH_DATABASE_URL to a Postgres server URL");

const upstream = await startFakeUpstream();
const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "benchmark" }] });

async function run(replicaCount: number) {
  const db = await freshPostgresDatabase(baseUrl!);
  const replicas = await Promise.all(
    Array.from({ length: replicaCount }, () => startKalmia({ DATABASE_URL: db.url, OPENAI_BASE_URL: `${upstream.url}/v1` })),
  );
  let calls = 0;
  let failed = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += IN_FLIGHT) {
        const replica = replicas[i % replicaCount]!;
        const response = await fetch(`${replica.url}/api/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer sk-bench", "content-type": "application/json", "x-kalmia-project": "replicas", "x-fake-latency-ms": "20" },
          body,
        });
        await response.arrayBuffer();
        if (response.status === 200) calls++;
        else failed++;
      }
    }),
  );
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  for (;;) {
    const [row] = await sql`select count(*)::int as n from spans where status = 'ok'`;
    if (row!.n >= calls) break;
    await Bun.sleep(50);
  }
  const seconds = (performance.now() - started) / 1000;
  await sql.end();
  await Promise.all(replicas.map((r) => r.stop()));
  await db.drop();
  return { calls, failed, perSecond: Math.round(calls / seconds) };
}

for (const count of [1, 2]) {
  const r = await run(count);
  console.log(`${count} replica(s): ${r.perSecond} persisted calls/s (${r.calls} calls, ${r.failed} failed, ${IN_FLIGHT} in flight, 20 ms upstream)`);
}
console.log(`machine: ${machine()}`);
await upstream.stop();
