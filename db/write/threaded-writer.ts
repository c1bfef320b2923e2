import { clampWrite } from "./clamp-write.ts";
import { classifyError } from "./error-kind.ts";
import { bufferedSize, progressClock, rejectionsOf, type Rejection, type WriteOutcome, type Writer, type WriterStats } from "./writer.ts";
import type { Reply, Request, Write, WriterThreadOptions } from "./writer-thread.ts";

const THREAD = new URL("./writer-thread.ts", import.meta.url).href;
const HANDOFF_MS = 10;

/**
 * The writer (db/write/writer.ts) on a thread of its own (db/write/writer-thread.ts), with the same
 * interface: rows are handed over as JSON text (a third of the CPU of the structured clone) and
 * their outcomes come back per batch. The bound on buffered rows is kept here, so that a full
 * buffer is known without asking the thread. A thread that dies takes what it held with it
 * (counted as dropped) and is started again; what had not crossed yet goes to the next one.
 */
export function createThreadedWriter(
  options: WriterThreadOptions & { maxBufferedRows?: number; log?: (message: string) => void; onBatch?: (seconds: number) => void },
) {
  const { maxBufferedRows = 200_000, log = (m: string) => console.error(m), onBatch, ...threadOptions } = options;
  const waiting = new Map<number, { size: number; rows: number; done: (outcome: WriteOutcome) => void }>();
  let nextId = 1;
  let buffered = 0;
  // Decided on this side: a full buffer, a dead thread, a row JSON cannot hold.
  const here = { accepted_rows: 0, refused_rows: 0, dropped_rows: 0, rejected_rows: 0 };
  let thread: WriterStats = {
    commits: 0, buffered_rows: 0, accepted_rows: 0, committed_rows: 0, refused_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0, last_error: null, stalled_ms: 0,
  };
  // Kept on this side, which sees every write arrive and settle, even when the thread is gone.
  const progress = progressClock();
  // What the threads that died had counted.
  const before = { commits: 0, committed_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0 };
  let drained: (() => void) | null = null;
  let draining: Promise<void> | null = null;
  let outbox: Write[] = [];
  // A write someone waits for crosses over at the end of its tick; the proxy's rows, which gather
  // for the linger anyway, every HANDOFF_MS: each message wakes the thread, and at 3,000 calls/s
  // one message per call cost more CPU than the writing it moved.
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let flushSoon = false;
  let worker: Worker | null = spawn();

  function spawn(): Worker {
    // Never what keeps the process alive: the server drains it on the way out.
    const w = new Worker(THREAD, { ref: false } as WorkerOptions);
    const startedAt = Date.now();
    w.onmessage = (event: MessageEvent<Reply>) => {
      if (w === worker) receive(event.data);
    };
    w.addEventListener("close", () => {
      if (w !== worker) return;
      worker = null;
      if (draining) return drained?.();
      log("kalmia: the writer's thread exited; starting it again (what it held is counted as dropped)");
      for (const key of Object.keys(before) as (keyof typeof before)[]) before[key] += thread[key];
      thread = { ...thread, commits: 0, committed_rows: 0, dropped_rows: 0, rejected_rows: 0, retries: 0 };
      const notSent = new Set(outbox.map((write) => write.id));
      for (const id of [...waiting.keys()]) if (!notSent.has(id)) settleHere(id, "dropped");
      // One that dies as it starts is started again after a pause, not in a tight loop.
      setTimeout(() => {
        if (draining) return;
        worker = spawn();
        flush();
      }, Date.now() - startedAt < 5_000 ? 1_000 : 0);
    });
    w.postMessage({ op: "open", options: threadOptions } satisfies Request);
    return w;
  }

  function receive(reply: Reply) {
    if (reply.op === "drained") return drained?.();
    thread = reply.stats;
    if (onBatch) for (const seconds of reply.batches) onBatch(seconds);
    if (reply.op === "settled") for (const [id, outcome] of reply.outcomes) settle(id, outcome);
  }

  function settle(id: number, outcome: WriteOutcome) {
    const held = waiting.get(id);
    if (!held) return;
    waiting.delete(id);
    buffered -= held.size;
    progress.moved();
    held.done(outcome);
  }

  function settleHere(id: number, outcome: Exclude<WriteOutcome, "committed">) {
    here[outcome === "dropped" ? "dropped_rows" : "rejected_rows"] += waiting.get(id)?.rows ?? 0;
    settle(id, outcome);
  }

  const enqueue: Writer["enqueue"] = (project, source, rows, traces = [], { background = false, scores = [] } = {}) => {
    const size = bufferedSize(rows, traces, scores);
    if (draining) {
      here.dropped_rows += rows.length;
      return Promise.resolve("dropped");
    }
    if (buffered + size > maxBufferedRows) {
      here.refused_rows += rows.length;
      return Promise.resolve("refused");
    }
    if (buffered === 0) progress.moved();
    buffered += size;
    here.accepted_rows += rows.length;
    const id = nextId++;
    // Clamped here, before the rows become JSON: a value nested too deep for JSON.stringify would
    // otherwise be refused whole, where the writer keeps it, cut.
    ({ rows, traces } = clampWrite(rows, traces));
    outbox.push({ id, project, source, rows, traces, scores, background });
    if (!background) {
      if (!flushSoon) queueMicrotask(flush);
      flushSoon = true;
    } else {
      flushTimer ??= setTimeout(flush, HANDOFF_MS);
    }
    return new Promise((done) => waiting.set(id, { size, rows: rows.length, done }));
  };

  /** Hands the outbox to the thread; with none (one is starting again), it waits for the next. */
  function flush() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    flushSoon = false;
    if (!worker || outbox.length === 0) return;
    const writes = outbox;
    outbox = [];
    try {
      worker.postMessage({ op: "write", writes: JSON.stringify(writes) } satisfies Request);
    } catch {
      // Something in a row that JSON cannot hold (a cycle, a value whose toJSON throws): those rows
      // alone are refused, the rest of their write crosses.
      for (const write of writes) {
        try {
          worker.postMessage({ op: "write", writes: JSON.stringify([write]) } satisfies Request);
        } catch {
          sendWithoutUnserialisable(worker, write);
        }
      }
    }
  }

  function sendWithoutUnserialisable(to: Worker, write: Write) {
    const rejected: Rejection[] = [];
    const keep = <T extends { id: string }>(items: T[], kind: Rejection["kind"]) =>
      items.flatMap((item, index) => {
        try {
          JSON.stringify(item);
          return [{ item, index }];
        } catch (error) {
          rejected.push({ kind, index, id: item.id, ...classifyError(error) });
          return [];
        }
      });
    const traces = keep(write.traces, "trace");
    const rows = keep(write.rows, "span");
    here.rejected_rows += rejected.length;
    const held = waiting.get(write.id);
    if (!held) return;
    if (traces.length + rows.length === 0) return settle(write.id, { rejected });
    // The thread's outcome names rows of what crossed: named again by their place in the write.
    const done = held.done;
    held.done = (outcome) => {
      if (outcome === "dropped") return done(outcome);
      const theirs = rejectionsOf(outcome).map((r) => ({ ...r, index: (r.kind === "trace" ? traces : rows)[r.index]!.index }));
      done({ rejected: [...rejected, ...theirs].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === "trace" ? -1 : 1)) });
    };
    to.postMessage({ op: "write", writes: JSON.stringify([{ ...write, traces: traces.map((t) => t.item), rows: rows.map((r) => r.item) }]) } satisfies Request);
  }

  /** Writes out what is buffered, giving up on a dead database after the deadline; then ends the thread. */
  async function drainAndEnd(deadlineMs: number): Promise<void> {
    flush();
    if (worker) {
      const done = new Promise<void>((resolve) => (drained = resolve));
      worker.postMessage({ op: "drain", deadlineMs } satisfies Request);
      // The thread gives up on the database at the deadline; this waits a little longer for it (an
      // attempt in flight), then ends it: the server's journal keeps what was acknowledged, and a
      // stop must end within Docker's 10 s grace.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs + 1_500)))]);
      clearTimeout(timer);
      worker?.terminate();
    }
    for (const id of [...waiting.keys()]) settleHere(id, "dropped");
  }

  return {
    enqueue,
    stats: (): WriterStats => ({
      commits: before.commits + thread.commits,
      buffered_rows: buffered,
      accepted_rows: here.accepted_rows,
      committed_rows: before.committed_rows + thread.committed_rows,
      refused_rows: here.refused_rows,
      dropped_rows: before.dropped_rows + thread.dropped_rows + here.dropped_rows,
      rejected_rows: before.rejected_rows + thread.rejected_rows + here.rejected_rows,
      retries: before.retries + thread.retries,
      last_error: thread.last_error,
      stalled_ms: progress.stalledMs(buffered),
    }),
    drain: (deadlineMs = 10_000): Promise<void> => (draining ??= drainAndEnd(deadlineMs)),
  } satisfies Writer;
}
