/**
 * How a change travels from the replica that committed it to every replica's bus.
 *
 * The in-process default hands the change straight back. A Postgres transport
 * (LISTEN/NOTIFY, the scale-out issue) implements the same two calls: `send`
 * NOTIFYs, and its LISTEN handler calls the `deliver` it was started with — on
 * every replica, the sending one included — so each bus sees every change once.
 */
export type LiveChange = { traces: object[]; spans: object[] };

export interface LiveTransport {
  /** Begin delivering changes (from this and other replicas) to `deliver`. */
  start(deliver: (change: LiveChange) => void): void | Promise<void>;
  /** Carry one committed change to every replica. Must not throw into the writer. */
  send(change: LiveChange): void;
  close(): void | Promise<void>;
}

/** Single-process transport: a change is delivered synchronously as it is sent. */
export function createInProcessTransport(): LiveTransport {
  let deliver: ((change: LiveChange) => void) | null = null;
  return {
    start(fn) {
      deliver = fn;
    },
    send(change) {
      deliver?.(change);
    },
    close() {
      deliver = null;
    },
  };
}
