import type { Store } from "../db/store.ts";
import type { JournaledWriter } from "../db/write/journal/journaled-writer.ts";
import type { Config } from "./config.ts";
import type { LiveBus } from "./live/bus.ts";
import type { Metrics } from "./metrics/metrics.ts";

/** What every feature plugin is built from. */
export type AppDeps = {
  config: Config;
  store: Store;
  writer: JournaledWriter;
  bus: LiveBus;
  metrics: Metrics;
};
