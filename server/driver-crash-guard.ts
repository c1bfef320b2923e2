/**
 * postgres.js, under Bun, can run a deferred socket write after the socket
 * was closed (its clearImmediate does not stop an immediate already queued),
 * which throws "null is not an object (evaluating 'socket.write')" outside any
 * promise. And when PostgreSQL goes away, a socket it had already given up can
 * still report the reset (`read ECONNRESET`, `write EPIPE`), or a reconnect its
 * refusal (`connect ECONNREFUSED`), with no listener left, which Bun's node:net
 * throws as uncaught. The queries they belonged to
 * fail on their own and the writer retries them, so these errors are logged
 * and survived: a database outage must never take the proxy down with it.
 * Any other uncaught error still ends the process.
 */
export function isStrayDriverError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const stack = error.stack ?? "";
  if (error instanceof TypeError) return /socket\.write/.test(error.message) && /postgres[\\/]src[\\/]connection\.js/.test(stack);
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (code === "ECONNREFUSED") return syscall === "connect";
  return (code === "ECONNRESET" || code === "EPIPE") && (syscall === "read" || syscall === "write");
}

export function installDriverCrashGuard(log: (message: string) => void = console.error) {
  process.on("uncaughtException", (error) => {
    if (isStrayDriverError(error)) {
      log(`kalmia: survived a closed database socket's late error (${error.message}); its query is retried`);
      return;
    }
    log(`kalmia: uncaught error, exiting: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
