import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import type { Db } from "../connect/open.ts";
import { transactionLanesOf } from "../connect/transaction-lanes.ts";

export type Row = Record<string, unknown>;

const dialect = new PgDialect();

/** postgres.js answers with an array of rows, PGlite with { rows }. */
async function rowsOf(result: Promise<unknown>): Promise<Row[]> {
  const value = (await result) as Row[] | { rows: Row[] };
  return Array.isArray(value) ? value : value.rows;
}

/**
 * One transaction of the writer's hot path, in two steps: the statements of `first`, then those
 * `then` makes from their rows; each statement runs after the previous one finished. Gives back
 * the rows of `then`'s statements. On Postgres each step goes out at once, pipelined on one
 * connection (BEGIN with the first, COMMIT with the second: two round trips for the lot), as named
 * prepared statements (drizzle sends every `execute` unprepared: a describe round trip and a fresh
 * parse and plan each time, while these have the same text for any batch of the same day).
 * The statements of `first` must only lock and read (see pipelinedTransaction).
 */
export function runInTransaction(db: Db, first: SQL[], then: (rows: Row[][]) => SQL[]): Promise<Row[][]> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (isPostgresJs(client)) return transactionLanesOf(client).use((lane, replace) => pipelinedTransaction(lane, first, then, replace));
  return db.transaction(async (tx) => {
    const run = async (statements: SQL[]) => {
      const results: Row[][] = [];
      for (const statement of statements) results.push(await rowsOf(tx.execute(statement)));
      return results;
    };
    return run(then(await run(first)));
  });
}

// One plan per statement and connection, made again only when the tables change (a day partition
// made or dropped, an analyze): planning these statements costs more than running them. No
// sequential scans, which a plan made while the tables were empty would choose and keep as they
// grow (the partition-key lookup once took 14 ms a batch at 30k traces): every statement here finds
// its rows by index. No JIT in these plans, whatever the connection was given (a pooler may drop
// the startup parameter, db/connect/open.ts).
const SETTINGS =
  "select set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)";

/** The part of postgres.js's connection object its own `begin` watches: called once if it closes. */
type WatchedConnection = { onclose: ((error: Error) => void) | null };

/** On `connection`, a client of one connection (db/connect/transaction-lanes.ts): all it sends is this transaction's. */
async function pipelinedTransaction(
  connection: Sql,
  first: SQL[],
  then: (rows: Row[][]) => SQL[],
  replaceLane: () => void,
): Promise<Row[][]> {
  // A connection that closes mid-transaction rejects what it had sent, but statements sent after
  // the close would run on the next connection, outside the transaction: postgres.js's `begin`
  // races its transaction against the connection's close, through the connection its BEGIN
  // executes on; so does this, and sends no second step once it closed. (If BEGIN itself fails,
  // on a connection that could not be made, the rest of the first step may still run on the next
  // one, outside any transaction: the writer's first step only locks and reads.)
  let lost: Error | null = null;
  let onLost: (error: Error) => void = () => {};
  let unwatch = () => {};
  const closed = new Promise<never>((_, reject) => (onLost = reject));
  closed.catch(() => {});
  let watching = false;
  const watch = (c: WatchedConnection) => {
    watching = true;
    c.onclose = (error) => onLost((lost = error));
    unwatch = () => (c.onclose = null);
    return true; // and go on pipelining
  };
  const send = (statement: SQL) => {
    const { sql, params } = dialect.sqlToQuery(statement);
    return connection.unsafe(sql, params as never[], { prepare: true }) as unknown as Promise<Row[]>;
  };
  const step = (sent: Promise<unknown>[]) => {
    // When the close wins the race, the statements still fail after it: nobody waits for that.
    const answered = allOrFirstError(sent);
    answered.catch(() => {});
    return Promise.race([answered, closed]);
  };
  let open = true;
  try {
    const begin = connection.unsafe("begin", [], { onexecute: watch } as never);
    const opened = await step([begin, connection.unsafe(SETTINGS), ...first.map(send)]);
    const statements = then(opened.slice(2) as Row[][]);
    if (lost) throw lost;
    const sent = statements.map(send);
    // After a failed statement the rest fail too and COMMIT ends the transaction as a ROLLBACK.
    open = false;
    const results = await step([...sent, connection.unsafe("commit")]);
    const { command } = results.at(-1) as { command?: string };
    if (command !== "COMMIT") throw new Error(`the write transaction ended in ${command ?? "nothing"}, not COMMIT`);
    return results.slice(0, -1) as Row[][];
  } catch (error) {
    // Lost, or never made (BEGIN never ran): the lane gets a fresh client.
    if (lost || !watching) replaceLane();
    else if (open) await step([connection.unsafe("rollback")]).catch(() => {});
    throw error;
  } finally {
    // A closed connection reconnects on the lane's next transaction.
    unwatch();
  }
}

/** Every answer, or the first failure in send order: the cause, where later ones only echo it. */
async function allOrFirstError(sent: Promise<unknown>[]): Promise<unknown[]> {
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value);
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === "function" && typeof (client as Sql).begin === "function";
}
