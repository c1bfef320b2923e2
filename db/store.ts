import { getTrace } from "./query/get-trace.ts";
import { listExperiments } from "./query/list-experiments.ts";
import { listTraces, tracesByIds, type ListOrder, type TraceFilter } from "./query/list-traces.ts";
import { openDatabase, type OpenOptions } from "./connect/open.ts";
import { createPartitionKeeper } from "./connect/partitions.ts";
import { projectCache } from "./write/projects.ts";
import { createSearchIndexer } from "./write/search-indexer.ts";
import { sessionRevocations } from "./session-revocations.ts";

/** The one storage module of the server: a database, its projects and its reads. */
export async function openStore(options: OpenOptions & { retentionDays?: number }) {
  const database = await openDatabase(options);
  const projects = projectCache(database.db);
  const partitions = createPartitionKeeper({ database, retentionDays: options.retentionDays });
  await partitions.maintain();
  const searchIndexer = createSearchIndexer({ database });
  return {
    kind: database.kind,
    database,
    db: database.db,
    projects,
    partitions,
    searchIndexer,
    sessionRevocations: sessionRevocations(database.db),
    listTraces: (filter: TraceFilter, limit: number, order: ListOrder = { sort: "start_time", order: "desc" }) =>
      listTraces(database.db, filter, limit, order),
    tracesByIds: (ids: string[]) => tracesByIds(database.db, ids),
    getTrace: (id: string) => getTrace(database.db, id),
    listExperiments: () => listExperiments(database),
    close: async () => {
      partitions.stop();
      await searchIndexer.stop();
      await database.close();
    },
  };
}

export type Store = Awaited<ReturnType<typeof openStore>>;
