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

// The statement postgres.js 3.4.9 runs first on every new connection (src/connection.js, fetchArrayTypes).
const TYPE_LOOKUP = /select b\.oid, b\.typarray\s+from pg_catalog\.pg_type a\s+left join pg_catalog\.pg_type b on b\.oid = a\.typelem/;

/**
 * postgres.js looks up the database's array types as the first statement of every new connection,
 * and drops that lookup's promise (porsager/postgres#1192, #1205, #1223; still so in 3.4.9). A
 * connection lost during the lookup rejects it with nobody to hear it, and Bun ends the process on
 * an unhandled rejection without asking "uncaughtException". An outage makes that likely: as
 * PostgreSQL goes, every pool, lane and the live feed's LISTEN reconnects, and each new
 * connection's lookup can be cut (the CI flake of test/faults/journal-outage.test.ts: the server
 * died, and the proxied calls in flight with it). The lookup is the driver's own: the query that
 * waited for the connection fails on its own and is retried, and the next connection looks the
 * types up again. So its failure, whatever the error, is survived.
 */
export function isDriverTypeLookupFailure(reason: unknown): boolean {
  const query = (reason as { query?: unknown } | null | undefined)?.query;
  return typeof query === "string" && TYPE_LOOKUP.test(query);
}

export function installDriverCrashGuard(log: (message: string) => void = console.error) {
  const fatal = (what: string, error: unknown) => {
    log(`kalmia: ${what}, exiting: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  };
  process.on("uncaughtException", (error) => {
    if (isStrayDriverError(error)) {
      log(`kalmia: survived a closed database socket's late error (${error.message}); its query is retried`);
      return;
    }
    fatal("uncaught error", error);
  });
  // Listening means Bun no longer ends the process on an unhandled rejection: every other one still does.
  process.on("unhandledRejection", (reason) => {
    if (isDriverTypeLookupFailure(reason)) {
      log(`kalmia: survived a database connection lost while the driver looked up its types (${(reason as Error).message}); it reconnects`);
      return;
    }
    fatal("unhandled rejection", reason);
  });
}
