/**
 * postgres.js, under Bun, can run a deferred socket write after the socket
 * was closed (its clearImmediate does not stop an immediate already queued),
 * which throws "null is not an object (evaluating 'socket.write')" outside any
 * promise. The query it belonged to fails on its own and the writer retries
 * it, so this one error is logged and survived: a database outage must never
 * take the proxy down with it. Any other uncaught error still ends the process.
 */
export function isStrayDriverWrite(error: unknown): boolean {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  return error instanceof TypeError && /socket\.write/.test(error.message) && /postgres[\\/]src[\\/]connection\.js/.test(stack);
}

export function installDriverCrashGuard(log: (message: string) => void = console.error) {
  process.on("uncaughtException", (error) => {
    if (isStrayDriverWrite(error)) {
      log("kalmia: survived a write on a closed database socket (postgres.js); the query is retried");
      return;
    }
    log(`kalmia: uncaught error, exiting: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
