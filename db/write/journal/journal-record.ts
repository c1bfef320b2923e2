import { bufferedSize } from "../writer.ts";
import type { SpanRowInput, TraceFields, TraceSource } from "../span-row.ts";
import type { ScoreInput } from "../score-row.ts";

/** One write as the writer takes it (db/write/writer.ts enqueue). */
export type JournalPart = { project: string; source: TraceSource; rows: SpanRowInput[]; traces: TraceFields[]; scores?: ScoreInput[] };

/** One acknowledged request: its writes, replayed together. */
export type JournalEntry = JournalPart[];

/**
 * One entry per line: its CRC-32 (8 hex digits), a space, its JSON. JSON escapes newlines in
 * strings, so a line is an entry; the checksum tells a whole line from the torn tail a crash can
 * leave after an append that was never acknowledged (nor fsync'd).
 */
export function encodeEntry(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${crc(json)} ${json}\n`;
}

/** The whole entries of a segment's text; a torn or damaged line is skipped and counted. */
export function decodeEntries(text: string): { entries: JournalEntry[]; damaged: number } {
  const entries: JournalEntry[] = [];
  let damaged = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const json = line.slice(9);
    if (line[8] !== " " || line.slice(0, 8) !== crc(json)) {
      damaged++;
      continue;
    }
    try {
      entries.push(JSON.parse(json) as JournalEntry);
    } catch {
      damaged++;
    }
  }
  return { entries, damaged };
}

/** What an entry counts, as the write buffer counts it. */
export const rowsOf = (entry: JournalEntry) => entry.reduce((n, part) => n + bufferedSize(part.rows, part.traces, part.scores), 0);

const crc = (text: string) => Bun.hash.crc32(text).toString(16).padStart(8, "0");
