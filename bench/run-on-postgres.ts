import { startKalmia } from "../test/harness/start-kalmia.ts";
import { machine } from "./stats.ts";

/**
 * A query benchmark's run: a real server on BENCH_DATABASE_URL, the data filled (skipped when there),
 * then the queries timed through its API under a table header.
 */
export async function runOnPostgres(options: {
  spans: number;
  header: string;
  fill(databaseUrl: string, spans: number): Promise<void>;
  queries(serverUrl: string): Promise<void>;
}) {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error("BENCH_DATABASE_URL: this benchmark runs on Postgres");
  const server = await startKalmia({ DATABASE_URL: databaseUrl });
  try {
    await options.fill(databaseUrl, options.spans);
    console.log(`${new Date().toISOString()}, ${options.spans} spans, ${machine()}`);
    console.log(options.header);
    await options.queries(server.url);
  } finally {
    await server.stop();
  }
}
