import type { Reply, Request } from "./pglite-thread.ts";

type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, unknown> };
type Results = { rows: unknown[]; fields: unknown[]; affectedRows?: number };
type Distribute<T> = T extends unknown ? Omit<T, "id"> : never;

/** What drizzle's PGlite driver and Kalmia use of a PGlite client: queries, transactions, exec. */
export type PgliteQueries = {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results>;
  exec(sql: string): Promise<Results[]>;
};

/**
 * PGlite on its own thread (db/connect/pglite-thread.ts), behind the part of PGlite's interface that
 * drizzle and Kalmia use. One statement runs at a time, as on PGlite itself: a transaction holds
 * the database until it ends, and other statements wait for it.
 */
export class PgliteRemote implements PgliteQueries {
  // A small JS heap (the thread also collects it after large answers, db/connect/pglite-thread.ts). Never
  // what keeps the process alive (`ref: false`): the server closes it on the way out.
  readonly #worker = new Worker(new URL("./pglite-thread.ts", import.meta.url).href, { smol: true, ref: false } as WorkerOptions);
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;
  #turn: Promise<unknown> = Promise.resolve();
  #broken: Error | null = null;

  private constructor() {
    this.#worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(Object.assign(new Error(String(reply.error.message)), reply.error));
    };
    this.#worker.onerror = (event) => this.#fail(new Error(`the embedded database's thread failed: ${event.message}`));
    // A thread that exits (an abort in the WASM) raises no error event: without this, every
    // statement waiting on it would wait forever.
    this.#worker.addEventListener("close", () => this.#fail(new Error("the embedded database's thread exited")));
  }

  static async open(pgdata: string, startParams: string[]): Promise<PgliteRemote> {
    const remote = new PgliteRemote();
    try {
      await remote.#call({ op: "open", pgdata, startParams });
    } catch (error) {
      remote.#worker.terminate();
      throw error;
    }
    return remote;
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results> {
    return this.#inTurn(() => this.#query(sql, params, options));
  }

  exec(sql: string): Promise<Results[]> {
    return this.#inTurn(() => this.#exec(sql));
  }

  /** `fn` gets the transaction's own client; everything else waits until it commits or rolls back. */
  transaction<T>(fn: (tx: PgliteQueries) => Promise<T>): Promise<T> {
    return this.#inTurn(async () => {
      await this.#exec("begin");
      // Its statements skip the queue, so only while it lasts: as on PGlite, a late one is refused.
      let ended = false;
      const during = <R>(run: () => Promise<R>) => (ended ? Promise.reject(new Error("the transaction is closed")) : run());
      const tx: PgliteQueries = {
        query: (sql, params = [], options = {}) => during(() => this.#query(sql, params, options)),
        exec: (sql) => during(() => this.#exec(sql)),
      };
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        ended = true;
        await this.#exec("rollback").catch(() => {});
        throw error;
      }
      ended = true;
      await this.#exec("commit");
      return result;
    });
  }

  async close(): Promise<void> {
    try {
      await this.#inTurn(() => this.#call({ op: "close" }));
    } finally {
      this.#worker.terminate();
      this.#fail(new Error("the embedded database is closed"));
    }
  }

  #query(sql: string, params: unknown[], options: QueryOptions): Promise<Results> {
    return this.#call({ op: "query", sql, params, rowMode: options.rowMode, rawDates: options.parsers !== undefined }) as Promise<Results>;
  }

  #exec(sql: string): Promise<Results[]> {
    return this.#call({ op: "exec", sql }) as Promise<Results[]>;
  }

  /** Runs `work` once everything before it has finished, failed or not. */
  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => {});
    return run;
  }

  #call(request: Distribute<Request>): Promise<unknown> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #fail(error: Error) {
    this.#broken ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
