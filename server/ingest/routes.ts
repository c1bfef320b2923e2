import { Elysia } from "elysia";
import type { JournalEntry } from "../../db/journal/journal-record.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import type { ItemError } from "../http/checked.ts";
import { COMMIT_WAIT_MS, itemResponse } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { idOf } from "../spans/routes.ts";
import { validateTrace } from "./validate-trace.ts";

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
      const errors: ItemError[] = [];
      items.forEach((item, index) => {
        const checked = validateTrace(item, Array.isArray(body) ? `[${index}]` : "$");
        if (!checked.ok) {
          errors.push({ index, id: idOf(item), path: checked.path, message: checked.message });
          return;
        }
        const { project, trace, rows } = checked.value;
        writes.push({ project, source: "ingest", rows, traces: [trace] });
      });
      const write = writes.length ? deps.writer.accept(writes, COMMIT_WAIT_MS) : null;
      return itemResponse(write, writes.length, errors, "traces");
    },
    { parse: "none" },
  );
