/**
 * The writer's own thread on Postgres (a Bun Worker; db/write/threaded-writer.ts talks to it). Turning
 * a batch into statements, and postgres.js sending them and reading the answers, is ~30–50 µs of
 * CPU per row: a batch of the proxy's rows held the event loop for 1–2 ms at a time, and every call
 * arriving meanwhile waited for it. Here it runs beside the event loop, on its own connections.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { connectPostgres } from "../connect/connect-postgres.ts";
import { createPartitionKeeper } from "../connect/partitions.ts";
import { projectCache } from "./projects.ts";
import type { SpanRowInput, TraceFields, TraceSource } from "./span-row.ts";
import type { ScoreInput } from "./score-row.ts";
import { createWriter, type WriteOutcome, type WriterStats } from "./writer.ts";
import { installDriverCrashGuard } from "../../server/driver-crash-guard.ts";
import { createPricing } from "../../server/pricing/pricing.ts";

declare const self: Worker;

export type WriterThreadOptions = {
  databaseUrl: string;
  concurrency: number;
  lingerMs: number;
  logEvents: boolean;
  lockTraces: boolean;
  /** KALMIA_PRICES: read by the thread itself (a price source is functions, which do not cross threads). */
  pricesFile?: string;
};

export type Write = {
  id: number;
  project: string;
  source: TraceSource;
  rows: SpanRowInput[];
  traces: TraceFields[];
  scores: ScoreInput[];
  background: boolean;
};

export type Request = { op: "open"; options: WriterThreadOptions } | { op: "write"; writes: string /* JSON of Write[] */ } | { op: "drain"; deadlineMs: number };

export type Reply =
  | { op: "settled"; outcomes: [id: number, outcome: WriteOutcome][]; stats: WriterStats; batches: number[] }
  | { op: "stats"; stats: WriterStats; batches: number[] }
  | { op: "drained" };

installDriverCrashGuard();
lowerThisThreadsPriority();

/**
 * The writer never needs to be quick, the proxy always does: on 2 cores shared with Postgres, a
 * writer thread of equal priority took the CPU from the event loop for whole scheduler slices, and
 * the 3,000 calls/s tail went from ~5 to ~14 ms. At nice 10 it has the CPU the event loop leaves
 * (under contention about a tenth of a core, never none). Linux only; elsewhere it stays as it is.
 */
function lowerThisThreadsPriority() {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    setPriority(threadId, 10);
  } catch {
    // No /proc, or not allowed: the writer runs at the process's priority.
  }
}

let opened: ReturnType<typeof open> | null = null;
// How long each batch committed since the last reply took, in seconds: for the server's /metrics.
let batches: number[] = [];
const takeBatches = () => {
  const taken = batches;
  batches = [];
  return taken;
};

function open(options: WriterThreadOptions) {
  // For project and partition lookups; each batch in flight has a connection of its own besides.
  const database = connectPostgres(options.databaseUrl, 2);
  const writer = createWriter({
    db: database.db,
    projects: projectCache(database.db),
    pricing: createPricing(options.pricesFile),
    partitions: createPartitionKeeper({ database }),
    // The bound is kept where rows are handed over, so that a full buffer is answered at once.
    maxBufferedRows: Number.POSITIVE_INFINITY,
    clamped: true,
    concurrency: options.concurrency,
    lingerMs: options.lingerMs,
    logEvents: options.logEvents,
    lockTraces: options.lockTraces,
    onBatch: (seconds) => batches.push(seconds),
    log: (message) => {
      console.error(message);
      self.postMessage({ op: "stats", stats: writer.stats(), batches: takeBatches() } satisfies Reply);
    },
  });
  return { writer, database };
}

// A batch settles its rows together: their outcomes cross over in one message.
let settled: [number, WriteOutcome][] = [];
function report(id: number, outcome: WriteOutcome) {
  if (settled.length === 0) {
    queueMicrotask(() => {
      const outcomes = settled;
      settled = [];
      self.postMessage({ op: "settled", outcomes, stats: opened!.writer.stats(), batches: takeBatches() } satisfies Reply);
    });
  }
  settled.push([id, outcome]);
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  switch (request.op) {
    case "open":
      opened = open(request.options);
      return;
    case "write":
      for (const w of JSON.parse(request.writes) as Write[]) {
        void opened!.writer.enqueue(w.project, w.source, w.rows, w.traces, { background: w.background, scores: w.scores }).then((outcome) => report(w.id, outcome));
      }
      return;
    case "drain":
      await opened!.writer.drain(request.deadlineMs);
      await opened!.database.close();
      self.postMessage({ op: "drained" } satisfies Reply);
  }
};
