import { openStore } from "../db/store.ts";
import { createWriter } from "../db/writer.ts";
import { spanView } from "../db/views.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { createLiveBus } from "./live/bus.ts";
import { costOfRecord } from "./pricing/cost.ts";

/** Builds a running Kalmia from a config: storage, writer, live bus, HTTP. */
export async function startServer(config: Config) {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bus = createLiveBus();
  const writer = createWriter({
    db: store.db,
    projects: store.projects,
    costOf: costOfRecord,
    maxBufferedRows: config.writeBufferRows,
    concurrency: store.kind === "postgres" ? 3 : 1,
    wantsSpans: () => bus.subscriberCount() > 0,
    onCommit: async (traceIds, spans) => {
      if (bus.subscriberCount() === 0) return;
      bus.publish({ traces: await store.tracesByIds(traceIds), spans: spans.map(spanView) });
    },
  });
  const app = createApp({ config, store, writer, bus }).listen({
    port: config.port,
    hostname: config.host,
    // Our own readers enforce the documented limits on bytes read; this is
    // only Bun's outer bound.
    maxRequestBodySize: 64 * 1024 * 1024,
  });
  const server = app.server!;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await server.stop();
      await writer.drain(10_000);
      await bus.close();
      await store.close();
    })());

  return { url: `http://${server.hostname}:${server.port}`, app, store, writer, bus, stop };
}
