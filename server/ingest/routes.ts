import { Elysia } from "elysia";
import type { WriteOutcome } from "../../db/writer.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import type { ItemError } from "../http/checked.ts";
import { itemResponse } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { idOf } from "../spans/routes.ts";
import { validateTrace } from "./validate-trace.ts";

const worst = (outcomes: WriteOutcome[]): WriteOutcome =>
  outcomes.find((o) => o !== "committed") ?? "committed";

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
      const writes: Promise<WriteOutcome>[] = [];
      const errors: ItemError[] = [];
      items.forEach((item, index) => {
        const checked = validateTrace(item, Array.isArray(body) ? `[${index}]` : "$");
        if (!checked.ok) {
          errors.push({ index, id: idOf(item), path: checked.path, message: checked.message });
          return;
        }
        const { project, trace, rows } = checked.value;
        writes.push(deps.writer.enqueue(project, "ingest", rows, [trace]));
      });
      const write = writes.length ? Promise.all(writes).then(worst) : null;
      return itemResponse(write, writes.length, errors, "traces");
    },
    { parse: "none" },
  );
