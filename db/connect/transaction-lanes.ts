import type { Sql } from "postgres";

/**
 * Single-connection clients beside a postgres.js pool, for work that must stay on one connection:
 * the writer's pipelined transactions (db/write/batch-transaction.ts), one lane per transaction in
 * flight, and the migration lock (db/connect/open.ts). The pool's own `reserve()` is not used for them:
 * in postgres.js 3.4.9 a `reserve()` still waiting when a connection closes is never answered, and
 * a connection that fails to connect can leave a served reservation behind that takes the
 * connection with it (porsager/postgres#1195). After a database outage the writer's
 * batches then waited forever, one connection at a time. A client of one connection needs no
 * reservation: everything sent on it is its own, in order, and after a close it reconnects.
 */
export type TransactionLanes = {
  /**
   * Runs `work` on a lane no other transaction is using. `work` calls `replace` when the lane's
   * connection was lost: after a lost connection postgres.js keeps the error the server sent before
   * closing and fails the next connection's first statement with it, so that lane is not used again.
   */
  use<T>(work: (lane: Sql, replace: () => void) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const lanesOfPool = new WeakMap<Sql, TransactionLanes>();

/** Lanes for `pool`'s transactions, made as needed by `open` (a client of one connection). */
export function attachTransactionLanes(pool: Sql, open: () => Sql): TransactionLanes {
  const idle: Sql[] = [];
  const all: Sql[] = [];
  let closed = false;
  const lanes: TransactionLanes = {
    async use<T>(work: (lane: Sql, replace: () => void) => Promise<T>): Promise<T> {
      if (closed) throw new Error("the database is closed");
      let lane = idle.pop();
      if (!lane) all.push((lane = open()));
      let replaced = false;
      try {
        return await work(lane, () => (replaced = true));
      } finally {
        if (replaced) {
          all.splice(all.indexOf(lane), 1);
          void lane.end({ timeout: 0 }).catch(() => {});
        } else {
          idle.push(lane);
        }
      }
    },
    async close() {
      closed = true;
      await Promise.all(all.map((lane) => lane.end({ timeout: 1 })));
    },
  };
  lanesOfPool.set(pool, lanes);
  return lanes;
}

export function transactionLanesOf(pool: Sql): TransactionLanes {
  const lanes = lanesOfPool.get(pool);
  if (!lanes) throw new Error("this postgres.js client has no transaction lanes (open it with db/connect/connect-postgres.ts)");
  return lanes;
}
