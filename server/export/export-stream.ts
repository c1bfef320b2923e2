import { exportPage } from "../../db/export-page.ts";
import type { TraceFilter } from "../../db/list-traces.ts";
import type { Db } from "../../db/open.ts";

// Traces read per query: big enough to amortise the round trips, small enough
// that one page of lines stays a few megabytes.
const PAGE = 500;

/**
 * NDJSON of every trace matching the filter, newest first. The stream pulls
 * one keyset page when its consumer wants more, so memory stays flat however
 * many traces match, and a slow client slows the reads instead of piling them up.
 */
export function exportStream(db: Db, filter: TraceFilter, beforeSeq?: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = beforeSeq;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const page = await exportPage(db, filter, PAGE, cursor);
        if (page.lines.length > 0) controller.enqueue(encoder.encode(`${page.lines.join("\n")}\n`));
        if (page.nextSeq === null) controller.close();
        else cursor = page.nextSeq;
      },
    },
    // One page buffered ahead at most.
    { highWaterMark: 1 },
  );
}
