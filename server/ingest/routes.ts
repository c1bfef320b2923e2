import { Elysia } from "elysia";
import type { JournalEntry } from "../../db/write/journal/journal-record.ts";
import { answerOf } from "../../db/write/journal/journaled-writer.ts";
import { rejectionsOf, type WriteOutcome } from "../../db/write/writer.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import type { ItemError } from "../http/checked.ts";
import { COMMIT_WAIT_MS, itemResponse, refusedMessage } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { idOf } from "../spans/routes.ts";
import { body, itemAnswers } from "../openapi/describe.ts";
import { ErrorBody, IngestBody, ItemAnswer, ItemRefusal } from "../openapi/schemas.ts";
import { validateTrace } from "./validate-trace.ts";

/** One outcome for the request's writes (a trace each): dropped if any was, else every refused row. */
function together(outcomes: WriteOutcome[]): WriteOutcome {
  if (outcomes.includes("refused")) return "refused";
  if (outcomes.includes("dropped")) return "dropped";
  const rejected = outcomes.flatMap(rejectionsOf);
  return rejected.length ? { rejected } : "committed";
}

/** POST /api/v1/traces/ingest: one trace object or an array, Braintrust-style. */
export const ingestRoutes = (deps: AppDeps) =>
  new Elysia().post(
    "/api/v1/traces/ingest",
    async ({ request }) => {
      const body = await readJsonBody(request);
      const items = Array.isArray(body) ? body : [body];
      if (items.length > LIMITS.items) {
        throw badRequest(`${items.length} traces in one request; the limit is ${LIMITS.items}`);
      }
      // One write per trace, answered (and journaled) together.
      const writes: JournalEntry = [];
      const traceAt: { index: number; id: string }[] = [];
      const errors: ItemError[] = [];
      const at = (index: number) => (Array.isArray(body) ? `[${index}]` : "$");
      items.forEach((item, index) => {
        const checked = validateTrace(item, at(index));
        if (!checked.ok) {
          errors.push({ index, id: idOf(item), path: checked.path, message: checked.message });
          return;
        }
        const { project, trace, rows } = checked.value;
        writes.push({ project, source: "ingest", rows, traces: [trace] });
        traceAt.push({ index, id: trace.id });
      });
      // A refused row is named by its trace's place in the request.
      const named = (outcomes: WriteOutcome[]) =>
        together(outcomes.map((o, i) => (typeof o === "object" ? { rejected: o.rejected.map((r) => ({ ...r, trace: traceAt[i]!.index, traceId: traceAt[i]!.id })) } : o)));
      const write = writes.length ? deps.writer.accept(writes, COMMIT_WAIT_MS).then((ack) => answerOf(ack, named)) : null;
      return itemResponse(write, writes.length, errors, "traces", (r) => {
        const { trace, traceId } = r as typeof r & { trace: number; traceId: string };
        const path = r.kind === "trace" ? at(trace) : `${at(trace)}.spans[${r.index}]`;
        return { index: trace, id: traceId, path, message: refusedMessage(r) };
      });
    },
    {
      parse: "none",
      detail: {
        summary: "Ingest traces",
        description: "One Braintrust-style trace object or an array of them; each trace is checked on its own and named in the answer when it is not taken.",
        tags: ["ingest"],
        requestBody: body("one trace or an array of traces", { "application/json": IngestBody }),
        responses: itemAnswers("traces", { ItemAnswer, ItemRefusal, ErrorBody }),
      },
    },
  );
