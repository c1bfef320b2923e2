import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JournaledWriterStats } from "../../db/write/journal/journaled-writer.ts";

/** What the scrape reads at the moment it happens: the writer's counters, the live feed, the database. */
export type MetricSources = {
  writerStats: () => JournaledWriterStats;
  bufferCapacityRows: number;
  subscribers: () => number;
  db: { kind: "pglite" | "postgres"; poolMax: number | null };
};

// Proxied model names come from callers: past this many distinct ones, further names are counted as
// "other", so that a caller sending made-up names cannot grow the series without bound.
const MAX_MODELS = 200;
const MAX_MODEL_CHARS = 100;

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Kalmia's Prometheus metrics (docs/METRICS.md lists them). Counters that the request path moves are
 * prom-client's own; the writer's, the journal's and the live feed's figures already exist as
 * counters of their own and are read when /metrics is scraped, so the write path pays nothing here.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "kalmia_http_requests_total",
    help: "HTTP requests answered, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: "kalmia_http_request_duration_seconds",
    help: "Time from a request's arrival to its response (headers: a stream's body may go on)",
    labelNames: ["method", "route", "status"] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  const proxyCalls = new Counter({
    name: "kalmia_proxy_calls_total",
    help: "Proxied provider calls, by provider, model and upstream status (error: unreachable, timeout: no answer in time, cancelled: the caller left first)",
    labelNames: ["provider", "model", "status"] as const,
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: "kalmia_writer_batch_duration_seconds",
    help: "Time to write one batch of rows that committed (one transaction)",
    buckets: SECONDS,
    registers: [registry],
  });

  let newScrape = () => {};
  const models = new Set<string>();
  const modelLabel = (model: string | null): string => {
    if (model === null) return "";
    if (models.has(model)) return model;
    if (models.size >= MAX_MODELS || model.length > MAX_MODEL_CHARS) return "other";
    models.add(model);
    return model;
  };

  return {
    registry,
    /** One answered request; `route` is the route's template (never the raw path). */
    request(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    /** One proxied call and its upstream status, or "error"/"timeout" when none came. */
    proxyCall(provider: string, model: string | null, status: number | "error" | "timeout" | "cancelled") {
      proxyCalls.inc({ provider, model: modelLabel(model), status });
    },
    observeBatch: (seconds: number) => batchSeconds.observe(seconds),
    /** Registers the figures read at scrape time. */
    watch(sources: MetricSources) {
      newScrape = readAtScrape(registry, sources);
    },
    /** The Prometheus text exposition. */
    text: () => {
      newScrape();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Registers them; returns what starts a scrape. */
function readAtScrape(registry: Registry, sources: MetricSources): () => void {
  // One read of the writer's counters serves every metric of a scrape.
  let stats: JournaledWriterStats | null = null;
  const read = () => (stats ??= sources.writerStats());
  const registers = [registry];
  /** A counter kept elsewhere: its value is copied in at each scrape. */
  const counter = (name: string, help: string, value: (s: JournaledWriterStats) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value(read()));
      },
    });
  const gauge = (name: string, help: string, value: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(value()); } });

  gauge("kalmia_writer_stalled_seconds", "How long rows have waited with no batch settling (0 with nothing buffered)", () => read().stalled_ms / 1000);
  counter("kalmia_writer_rows_accepted_total", "Rows taken into the write buffer", (s) => s.accepted_rows);
  counter("kalmia_writer_rows_committed_total", "Rows written to the database (committed)", (s) => s.committed_rows);
  counter("kalmia_writer_rows_rejected_total", "Rows the database refused for good (named in the request's answer)", (s) => s.rejected_rows);
  counter("kalmia_writer_rows_refused_total", "API rows refused at once because the write buffer was full (answered 503)", (s) => s.refused_rows);
  counter(
    "kalmia_writer_rows_dropped_total",
    "Rows lost: the proxy's rows when the buffer was full or the writer gave up on them; acknowledged rows are journaled, never dropped",
    (s) => s.dropped_rows + s.proxy_dropped_rows,
  );
  counter("kalmia_writer_retries_total", "Batch write attempts that failed and were retried", (s) => s.retries);
  counter("kalmia_writer_commits_total", "Transactions committed by the writer", (s) => s.commits);
  gauge("kalmia_writer_buffered_rows", "Rows in the write buffer, not yet settled", () => read().buffered_rows);
  gauge("kalmia_writer_buffer_capacity_rows", "The write buffer's bound (KALMIA_WRITE_BUFFER_ROWS): past it, writes are refused", () => sources.bufferCapacityRows);
  gauge("kalmia_journal_rows", "Acknowledged rows in the journal that the database does not have yet", () => read().journal_rows);
  gauge("kalmia_journal_segments", "The journal's segment files (0 once everything is written)", () => read().journal_segments);
  gauge("kalmia_live_subscribers", "Open live feeds (GET /api/v1/live)", sources.subscribers);
  new Gauge({
    name: "kalmia_database_info",
    help: "The database behind this server (1 for its kind)",
    labelNames: ["kind"] as const,
    registers,
  }).set({ kind: sources.db.kind }, 1);
  if (sources.db.poolMax !== null) {
    new Gauge({ name: "kalmia_database_pool_max_connections", help: "The size bound of the Postgres connection pool for reads", registers }).set(sources.db.poolMax);
  }
  return () => {
    stats = null;
  };
}
