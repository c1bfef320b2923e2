/**
 * The embedded server's JS heap, collected once it has grown. JSC lets a heap grow well past what
 * is live before a full collection, and the pages it grew into count in the process's RSS until
 * then: an export of 20,000 traces left 30 MB of garbage in this thread's heap (RSS 224 MB, 192 after
 * a collection), and at 1,000 ingested spans/s the heap of requests already answered sat between
 * collections (BENCHMARKS.md, "Footprint"). Only on PGlite: a server on Postgres is sized as a
 * service, and a full collection pauses every request for a few milliseconds.
 */

/** JS heap plus the buffers it owns (request bodies, encoded pages), in bytes. */
const heapBytes = () => {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

// Collected once it grew this much past what the last collection left: a pause of a few
// milliseconds every 16 MB of garbage, under load about once every few seconds.
const GROWTH_BYTES = 16 * 1024 * 1024;
const CHECK_EVERY_MS = 1_000;

/** `measure` and `collect` are the runtime's own (heap bytes, a full collection); tests give their own. */
export function createHeapCollector(growthBytes = GROWTH_BYTES, measure = heapBytes, collect = () => Bun.gc(true)) {
  let after = measure();
  /** Collects if the heap grew by `growthBytes` since the last collection; says whether it did. */
  const collectIfGrown = (): boolean => {
    if (measure() - after < growthBytes) return false;
    collect();
    after = measure();
    return true;
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    collectIfGrown,
    start() {
      timer ??= setInterval(collectIfGrown, CHECK_EVERY_MS);
      // Never what keeps the process alive.
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
