/**
 * OpenTelemetry ingestion and export benchmark (issue 9):
 *   1. OTLP/HTTP protobuf ingest: committed spans per second, agent-run
 *      shaped GenAI spans (1 agent + 2 chat + 2 tool spans a trace) made by
 *      the real OTel JS SDK and serialised by its own protobuf serializer;
 *   2. GET /api/v1/traces/export: traces per second and the server's RSS
 *      before and at peak while the whole export streams.
 *   bun bench/export.ts                                   (PGlite)
 *   BENCH_DATABASE_URL=postgres://… bun bench/export.ts   (Postgres)
 *   BENCH_TRACES=20000 BENCH_CONCURRENCY=4 to change the size.
 *   BENCH_DATA_DIR=/tmp/x: PGlite in that directory; when it already holds a database, the ingest is
 *   skipped and the export reads what is there (to compare export changes on the same data, after a restart).
 */
import { existsSync } from "node:fs";
import { agentTraceBodies, rssMb, SPANS_PER_TRACE } from "./otlp-bodies.ts";
import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine } from "./stats.ts";

const TRACES = Number(process.env.BENCH_TRACES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TRACES_PER_REQUEST = 100;

async function ingest(url: string, bodies: Uint8Array[]) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${url}/api/v1/otel/v1/traces`, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/x-protobuf" } });
      if (response.status !== 200) throw new Error(`OTLP answered ${response.status}`);
      await response.arrayBuffer();
    }
  }));
  return (performance.now() - started) / 1000;
}

async function exportAll(url: string, pid: number) {
  const before = rssMb(pid);
  let peak = before;
  let lines = 0;
  let bytes = 0;
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/traces/export`);
  for await (const chunk of response.body!) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
    peak = Math.max(peak, rssMb(pid));
  }
  return { lines, bytes, seconds: (performance.now() - started) / 1000, before, peak };
}

const databaseUrl = process.env.BENCH_DATABASE_URL;
const dataDir = process.env.BENCH_DATA_DIR;
const reuse = dataDir !== undefined && existsSync(`${dataDir}/pgdata/PG_VERSION`);
const server = await startKalmia(databaseUrl ? { DATABASE_URL: databaseUrl } : dataDir ? { KALMIA_DATA_DIR: dataDir } : {});
const kind = databaseUrl ? "postgres" : "pglite";
try {
  const spans = TRACES * SPANS_PER_TRACE;
  if (reuse) console.log(`${kind}: ${dataDir} reused, no ingest; server RSS at start ${rssMb(server.pid).toFixed(0)} MB`);
  else {
    const bodies = agentTraceBodies(TRACES, TRACES_PER_REQUEST).map(({ body }) => body);
    const seconds = await ingest(server.url, bodies);
    console.log(`${kind}: OTLP protobuf ingest ${Math.round(spans / seconds)} committed spans/s (${spans} spans, ${TRACES} traces in ${seconds.toFixed(1)} s; ${TRACES_PER_REQUEST * SPANS_PER_TRACE} spans/request, concurrency ${CONCURRENCY})`);
  }
  // Twice: the first pass also grows the database's own caches (PGlite's
  // WASM heap never shrinks); the second shows the export's steady state.
  for (const pass of ["first", "second"]) {
    const e = await exportAll(server.url, server.pid);
    if (e.lines !== TRACES) throw new Error(`export gave ${e.lines} traces, expected ${TRACES}`);
    console.log(`${kind}: export (${pass} pass) ${Math.round(e.lines / e.seconds)} traces/s (${e.lines} traces, ${(e.bytes / 1e6).toFixed(0)} MB NDJSON in ${e.seconds.toFixed(1)} s); server RSS ${e.before.toFixed(0)} MB before, ${e.peak.toFixed(0)} MB peak`);
  }
  console.log(`machine: ${machine()}`);
} finally {
  await server.stop();
}
