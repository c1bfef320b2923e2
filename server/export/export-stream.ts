import { exportPage } from "../../db/query/export-page.ts";
import type { TraceFilter } from "../../db/query/list-traces.ts";
import type { Db } from "../../db/connect/open.ts";

/**
 * Traces read per query: big enough to amortise the round trips, small enough that one page of
 * lines stays small. On PGlite a page is built inside its WASM heap, which keeps its high-water mark
 * for good, then copied to its thread's JS heap and across to this one: 500 traces a page took the
 * embedded server from 232 to 278 MB RSS over a 20,000-trace export (BENCHMARKS.md), so PGlite
 * reads 100 at a time. Postgres builds the page in its own process and sends it over a socket.
 */
export const EXPORT_PAGE_TRACES = { pglite: 100, postgres: 500 } as const;

/**
 * The last line of an export that failed part way: once the 200 and some lines are sent, only
 * the body can say that the file is incomplete. Not a trace (no "id"), so a re-import refuses
 * it instead of taking a cut file for a whole one.
 */
export function exportFailedLine(tracesSent: number): string {
  const message = `the export stopped after ${tracesSent} traces because of a server error; this file is incomplete (see the server log)`;
  return `${JSON.stringify({ error: { type: "export_failed", message } })}\n`;
}

/** The driver's own reason, under the query wrapper's message (which holds the SQL and its values). */
function reasonOf(error: unknown): string {
  let inner = error;
  for (let depth = 0; depth < 5 && (inner as { cause?: unknown })?.cause; depth++) inner = (inner as { cause: unknown }).cause;
  const code = (inner as { code?: unknown })?.code;
  const message = String((inner as Error)?.message ?? inner).split("\n")[0]!.slice(0, 200);
  return typeof code === "string" ? `${code} ${message}` : message;
}

/**
 * NDJSON of every trace matching the filter, newest first, one chunk a page of `pageTraces`
 * (EXPORT_PAGE_TRACES for the backend). The stream pulls one keyset page when its consumer wants
 * more, so memory stays flat however many traces match, and a slow client slows the reads instead
 * of piling them up.
 * The first page is read before answering, so that a failure there is an error
 * status; a failure after it ends the body with exportFailedLine.
 */
export async function exportStream(db: Db, filter: TraceFilter, pageTraces: number): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let beforeSeq: number | undefined;
  let next: Awaited<ReturnType<typeof exportPage>> | null = await exportPage(db, filter, pageTraces, beforeSeq);
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const page = next ?? (await exportPage(db, filter, pageTraces, beforeSeq));
          next = null;
          if (page.lines.length > 0) controller.enqueue(encoder.encode(`${page.lines.join("\n")}\n`));
          sent += page.lines.length;
          if (page.nextSeq === null) controller.close();
          else beforeSeq = page.nextSeq;
        } catch (error) {
          console.error(`kalmia: an export stopped after ${sent} traces: ${reasonOf(error)}`);
          controller.enqueue(encoder.encode(exportFailedLine(sent)));
          controller.close();
        }
      },
    },
    // One page buffered ahead at most.
    { highWaterMark: 1 },
  );
}
