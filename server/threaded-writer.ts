import type { WriteOutcome, Writer, WriterStats } from "../db/writer.ts";
import type { Reply, Request, Write, WriterThreadOptions } from "./writer-thread.ts";

const THREAD = new URL("./writer-thread.ts", import.meta.url).href;
const HANDOFF_MS = 10;

/**
 * The writer (db/writer.ts) on a thread of its own (server/writer-thread.ts), with the same
 * interface: rows are handed over as JSON text (a third of the CPU of the structured clone) and
 * their outcomes come back per batch. The bound on
 * buffered rows is kept here, so that a full buffer is known without asking the thread. A thread
 * that dies takes what it held with it (counted as dropped) and is started again.
 */
export function createThreadedWriter(options: WriterThreadOptions & { maxBufferedRows?: number; log?: (message: string) => void }) {
  const { maxBufferedRows = 200_000, log = (m: string) => console.error(m), ...threadOptions } = options;
  const waiting = new Map<number, { size: number; rows: number; done: (outcome: WriteOutcome) => void }>();
  let nextId = 1;
  let buffered = 0;
  let droppedHere = 0;
  let thread: WriterStats = { commits: 0, buffered_rows: 0, committed_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0, last_error: null };
  // What a dead thread's stats no longer count.
  let before = { commits: 0, committed_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0 };
  let drained: (() => void) | null = null;
  let stopped = false;
  let outbox: Write[] = [];
  // A write someone waits for crosses over at the end of its tick; the proxy's rows, which gather
  // for the linger anyway, every HANDOFF_MS: each message wakes the thread, and at 3,000 calls/s
  // one message per call cost more CPU than the writing it moved.
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let flushSoon = false;
  let worker = spawn();

  function spawn(): Worker {
    // Never what keeps the process alive: the server drains it on the way out.
    const w = new Worker(THREAD, { ref: false } as WorkerOptions);
    w.onmessage = (event: MessageEvent<Reply>) => receive(event.data);
    w.addEventListener("close", () => {
      if (stopped || w !== worker) return;
      log("kalmia: the writer's thread exited; starting it again (what it held is counted as dropped)");
      before = {
        commits: before.commits + thread.commits,
        committed_rows: before.committed_rows + thread.committed_rows,
        dropped_rows: before.dropped_rows + thread.dropped_rows,
        rejected_rows: before.rejected_rows + thread.rejected_rows,
        retries: before.retries + thread.retries,
      };
      thread = { ...thread, commits: 0, committed_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0 };
      for (const [id, held] of waiting) settle(id, "dropped", held.rows);
      worker = spawn();
    });
    w.postMessage({ op: "open", options: threadOptions } satisfies Request);
    return w;
  }

  function receive(reply: Reply) {
    if (reply.op === "drained") return drained?.();
    thread = reply.stats;
    if (reply.op === "settled") for (const [id, outcome] of reply.outcomes) settle(id, outcome, 0);
  }

  function settle(id: number, outcome: WriteOutcome, lostRows: number) {
    const held = waiting.get(id);
    if (!held) return;
    waiting.delete(id);
    buffered -= held.size;
    droppedHere += lostRows;
    held.done(outcome);
  }

  // As db/writer.ts's: the bound counts an item's spans or traces, whichever are more.
  const enqueue: Writer["enqueue"] = (project, source, rows, traces = [], { background = false } = {}) => {
    const size = Math.max(rows.length, traces.length);
    if (stopped || buffered + size > maxBufferedRows) {
      droppedHere += rows.length;
      return Promise.resolve("dropped");
    }
    buffered += size;
    const id = nextId++;
    outbox.push({ id, project, source, rows, traces, background });
    if (!background) {
      if (!flushSoon) queueMicrotask(flush);
      flushSoon = true;
    } else {
      flushTimer ??= setTimeout(flush, HANDOFF_MS);
    }
    return new Promise((done) => waiting.set(id, { size, rows: rows.length, done }));
  };

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    flushSoon = false;
    const writes = outbox;
    outbox = [];
    if (writes.length === 0) return;
    try {
      worker.postMessage({ op: "write", writes: JSON.stringify(writes) } satisfies Request);
    } catch {
      // Something in a row that JSON cannot hold (a BigInt, a cycle): that write alone is refused.
      for (const write of writes) {
        try {
          worker.postMessage({ op: "write", writes: JSON.stringify([write]) } satisfies Request);
        } catch {
          settle(write.id, "rejected", 0);
        }
      }
    }
  }

  return {
    enqueue,
    stats: (): WriterStats => ({
      commits: before.commits + thread.commits,
      buffered_rows: buffered,
      committed_rows: before.committed_rows + thread.committed_rows,
      dropped_rows: before.dropped_rows + thread.dropped_rows + droppedHere,
      rejected_rows: before.rejected_rows + thread.rejected_rows,
      retries: before.retries + thread.retries,
      last_error: thread.last_error,
    }),
    /** Writes out what is buffered, giving up on a dead database after the deadline; then ends the thread. */
    async drain(deadlineMs = 10_000): Promise<void> {
      if (stopped) return;
      stopped = true;
      flush();
      const done = new Promise<void>((resolve) => (drained = resolve));
      worker.postMessage({ op: "drain", deadlineMs } satisfies Request);
      // The thread gives up on the database at the deadline; this waits a little longer for it.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs + 7_000)))]);
      clearTimeout(timer);
      worker.terminate();
      for (const [id, held] of waiting) settle(id, "dropped", held.rows);
    },
  } satisfies Writer;
}
