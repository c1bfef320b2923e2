import { mkdirSync, openSync, closeSync, fsyncSync, readdirSync, unlinkSync } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { acquireDataDirLock } from "../../connect/data-dir-lock.ts";
import { decodeEntries, encodeEntry, rowsOf, type JournalEntry } from "./journal-record.ts";

// A segment takes appends until it holds this much, then the next one starts; a segment is deleted
// once every entry in it has been written to the database.
const SEGMENT_BYTES = 8 * 1024 * 1024;

type Segment = {
  path: string;
  handle: FileHandle | null;
  bytes: number;
  /** Entries not yet written to the database. */
  outstanding: number;
  rows: number;
};

/** An entry's place in the journal, to settle it by once the database has it. */
export type JournalRef = { segment: Segment; rows: number };

type Waiting = { line: string; rows: number; resolve: (ref: JournalRef) => void; reject: (error: unknown) => void };

/**
 * The write-ahead spool of acknowledged writes (the OpenTelemetry Collector's persistent queue is
 * the model): numbered segment files of checksummed lines in one directory. An append resolves once
 * its bytes are fsync'd; appends that arrive while one is being written share the next fsync. On
 * open, the segments left by the last run are recovered for replay; a server holds its directory
 * alone (a pid file, as PGlite's data directory).
 */
export async function openJournal(dir: string, options: { segmentBytes?: number; variable?: string } = {}) {
  const segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
  mkdirSync(dir, { recursive: true });
  const releaseLock = acquireDataDirLock(dir, options.variable ?? "KALMIA_SPOOL_DIR");
  const names = readdirSync(dir).filter((n) => /^\d{10}\.journal$/.test(n)).sort();
  let nextSeq = names.length ? Number(names.at(-1)!.slice(0, 10)) + 1 : 1;
  const left = names.map((name) => join(dir, name));
  const segments = new Set<Segment>();
  let current: Segment | null = null;
  let queue: Waiting[] = [];
  let writing: Promise<void> | null = null;
  let closed = false;

  async function startSegment(): Promise<Segment> {
    const path = join(dir, `${String(nextSeq++).padStart(10, "0")}.journal`);
    const handle = await open(path, "a");
    // The new file's name must survive a crash as well as its bytes.
    const dirFd = openSync(dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    const segment: Segment = { path, handle, bytes: 0, outstanding: 0, rows: 0 };
    segments.add(segment);
    return segment;
  }

  async function writeQueued() {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (current && current.bytes >= segmentBytes) retire(current);
        const segment = (current ??= await startSegment());
        const text = batch.map((w) => w.line).join("");
        segment.outstanding += batch.length;
        segment.rows += batch.reduce((n, w) => n + w.rows, 0);
        segment.bytes += Buffer.byteLength(text);
        try {
          await segment.handle!.write(text);
          await segment.handle!.datasync();
        } catch (error) {
          // A segment that failed a write may hold a torn line: the next append starts another.
          segment.outstanding -= batch.length;
          segment.rows -= batch.reduce((n, w) => n + w.rows, 0);
          retire(segment);
          throw error;
        }
        for (const w of batch) w.resolve({ segment, rows: w.rows });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = null;
    // Everything written meanwhile may already be in the database.
    if (current && current.outstanding === 0) retire(current);
  }

  /** No more appends to this segment; deleted now if nothing in it waits for the database. */
  function retire(segment: Segment) {
    if (current === segment) current = null;
    const handle = segment.handle;
    segment.handle = null;
    void handle?.close().catch(() => {});
    if (segment.outstanding === 0) remove(segment);
  }

  function remove(segment: Segment) {
    segments.delete(segment);
    try {
      unlinkSync(segment.path);
    } catch {}
  }

  return {
    dir,
    /** Appends one entry; resolves once it is on disk (fsync'd). */
    append(entry: JournalEntry): Promise<JournalRef> {
      if (closed) return Promise.reject(new Error("the journal is closed"));
      return new Promise((resolve, reject) => {
        queue.push({ line: encodeEntry(entry), rows: rowsOf(entry), resolve, reject });
        writing ??= writeQueued();
      });
    },
    /** The database has the entry (or refused it for good): it is no longer needed. */
    settle(ref: JournalRef) {
      const { segment } = ref;
      segment.outstanding--;
      segment.rows -= ref.rows;
      if (segment.outstanding > 0) return;
      // The segment being appended to goes as well once nothing is queued for it: after an outage
      // the directory empties, without waiting for a segment to fill.
      if (segment !== current) remove(segment);
      else if (!writing) retire(segment);
    },
    /**
     * The segments the last run left, oldest first, one at a time (a segment is at most a few MB):
     * each with refs to settle its entries by, as for appended ones.
     */
    async *recovered(): AsyncGenerator<{ entries: JournalEntry[]; refs: JournalRef[]; damaged: number }> {
      while (left.length > 0) {
        const path = left.shift()!;
        const { entries, damaged } = decodeEntries(await readFile(path, "utf8"));
        const segment: Segment = { path, handle: null, bytes: 0, outstanding: entries.length, rows: 0 };
        const refs = entries.map((entry) => ({ segment, rows: rowsOf(entry) }));
        segment.rows = refs.reduce((n, r) => n + r.rows, 0);
        segments.add(segment);
        if (entries.length === 0) remove(segment);
        yield { entries, refs, damaged };
      }
    },
    /**
     * Rows the journal holds that the database does not have yet (of the segments the last run left,
     * those read so far), and its segment files.
     */
    stats: () => ({ rows: [...segments].reduce((n, s) => n + s.rows, 0), segments: segments.size + left.length }),
    /** Waits for appends in progress, closes the files and gives the directory up. */
    async close(): Promise<void> {
      closed = true;
      while (writing) await writing;
      for (const segment of segments) {
        await segment.handle?.close().catch(() => {});
        segment.handle = null;
      }
      current = null;
      releaseLock();
    },
  };
}

export type Journal = Awaited<ReturnType<typeof openJournal>>;
