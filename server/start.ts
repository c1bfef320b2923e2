import { openJournal } from "../db/write/journal/journal.ts";
import { createJournaledWriter } from "../db/write/journal/journaled-writer.ts";
import { openStore } from "../db/store.ts";
import { createWriter } from "../db/write/writer.ts";
import { spanView } from "../db/query/views.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import type { Sql } from "postgres";
import { createLiveBus, type LiveBus } from "./live/bus.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { createPostgresTransport } from "./live/postgres-transport.ts";
import { readLocalPrices } from "./pricing/local-prices.ts";
import { repriceStored } from "../db/write/reprice-stored.ts";
import { createThreadedWriter } from "../db/write/threaded-writer.ts";
import { createHeapCollector } from "./heap-collector.ts";

// The proxy's rows gather this long before they are written: under steady traffic one
// transaction then serves every call of the window instead of each call paying for its own, and the
// database's work collides with fewer calls in flight. Dashboards see a proxied call's row at most
// this much later (on Postgres up to 10 ms more, for the rows to cross to the writer's thread);
// calls in flight show at once through the live progress, which does not wait for the database.
// An API request that waits for its write ends the gathering at once. The same on PGlite, whose
// statements run on their own thread (db/connect/pglite-remote.ts): with its 5 ms of old, when they ran on
// the event loop, the open-loop run at 3,000 calls/s stored its last call 0.59 s after the last
// send, 0.13 s with 20 ms (bench/proxy.ts).
const WRITE_LINGER_MS = 20;

// How long a stop gives the database to take what is buffered; the rest stays in the journal. With
// the thread's end and the HTTP server's, a stop ends within 8 s, inside Docker's 10 s grace.
const DRAIN_DEADLINE_MS = 4_000;

/** Builds a running Kalmia from a config: storage, writer, live bus, HTTP. */
export async function startServer(config: Config) {
  // Read first, so that a bad KALMIA_PRICES stops the start (the writer's thread reads it again).
  if (config.pricesFile) readLocalPrices(config.pricesFile);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    retentionDays: config.retentionDays,
  });
  let journal;
  try {
    journal = await openJournal(config.spoolDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  store.partitions.start();
  const shared = store.kind === "postgres";
  let bus: LiveBus;
  // On Postgres, changes travel through the database so that every replica's
  // feed sees every commit; on PGlite there is one process and one bus.
  const transport = shared
    ? createPostgresTransport({ client: store.database.client as Sql, store, wanted: () => bus.wantsEvents() })
    : undefined;
  bus = createLiveBus({ transport });
  await bus.ready;
  const metrics = createMetrics();
  // The price library's data (~13 MB of RSS) is loaded where spans are priced: on Postgres only in
  // the writer's thread; here only for PGlite's writer, or for the backfill once it finds work.
  const loadPricing = async () => (await import("./pricing/pricing.ts")).createPricing(config.pricesFile);
  const pricing = shared ? null : await loadPricing();
  // On Postgres the writer has a thread of its own (db/write/writer-thread.ts); PGlite's statements
  // already run on the database's thread, and its live feed is published from here.
  const backendWriter = shared
    ? createThreadedWriter({
        databaseUrl: config.databaseUrl!,
        maxBufferedRows: config.writeBufferRows,
        concurrency: 3,
        lingerMs: WRITE_LINGER_MS,
        logEvents: true,
        lockTraces: true,
        onBatch: metrics.observeBatch,
        pricesFile: config.pricesFile,
      })
    : createWriter({
        db: store.db,
        projects: store.projects,
        pricing: pricing!,
        partitions: store.partitions,
        maxBufferedRows: config.writeBufferRows,
        lingerMs: WRITE_LINGER_MS,
        lockTraces: false,
        onBatch: metrics.observeBatch,
        wantsSpans: () => bus.wantsEvents(),
        onCommit: async (traceIds, spans) => {
          if (!bus.wantsEvents()) return;
          bus.publish({ traces: await store.tracesByIds(traceIds), spans: spans.map(spanView) });
        },
      });
  const writer = createJournaledWriter({ writer: backendWriter, journal, maxBufferedRows: config.writeBufferRows });
  // Search text is indexed behind the writes (db/write/search-indexer.ts), yielding the cores to a
  // burst of them; existing spans were indexed by migration 0005.
  store.searchIndexer.start({ yieldTo: writer.stats });
  void writer.replay();
  metrics.watch({
    writerStats: writer.stats,
    bufferCapacityRows: config.writeBufferRows,
    subscribers: bus.subscriberCount,
    db: { kind: store.kind, poolMax: shared ? (store.database.client as Sql).options.max : null },
  });
  const app = createApp({ config, store, writer, bus, metrics }).listen({
    port: config.port,
    hostname: config.host,
    // Our own readers enforce the documented limits on bytes read; this is
    // only Bun's outer bound.
    maxRequestBodySize: 64 * 1024 * 1024,
  });
  const server = app.server!;
  // The embedded server keeps its heap's garbage from piling up between the runtime's own collections.
  const heapCollector = shared ? null : createHeapCollector();
  heapCollector?.start();
  // Rows stored before spans were priced as merged, priced again in the background (once: it
  // finds nothing left to do on later starts).
  let stoppingBackfill = false;
  const backfill = repriceStored(store.database, async () => pricing ?? (await loadPricing()), () => stoppingBackfill)
    .then((n) => n > 0 && console.error(`kalmia: re-priced ${n} stored spans`))
    .catch((error) => console.error(`kalmia: re-pricing stored spans stopped (${error}); the next start resumes it`));

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting; open connections may finish. Live feeds never do on
      // their own, so they are ended here, or the stop would wait for them.
      const closed = server.stop();
      heapCollector?.stop();
      await bus.close();
      stoppingBackfill = true;
      // It stops between chunks; a chunk held up by a database that went away must not hold the drain.
      await Promise.race([backfill, Bun.sleep(1_000)]);
      // The indexer ends once its current chunk commits, well inside the drain's deadline.
      await Promise.all([writer.drain(DRAIN_DEADLINE_MS), store.searchIndexer.stop()]);
      // Requests still running get a moment; idle keep-alive sockets need none.
      await Promise.race([closed, Bun.sleep(1_000)]);
      await server.stop(true);
      await store.close();
    })());

  return { url: `http://${server.hostname}:${server.port}`, app, store, writer, bus, metrics, heapCollector, stop, backfill };
}
