import { Elysia } from "elysia";
import { ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import type { SpanRowInput } from "../../db/write/span-row.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest } from "../errors.ts";
import { isObject, type ItemError } from "../http/checked.ts";
import { answerOf } from "../../db/write/journal/journaled-writer.ts";
import { COMMIT_WAIT_MS, itemResponse, refusedMessage } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { checkName, validateSpanRow } from "./validate-span-row.ts";
import { body, itemAnswers } from "../openapi/describe.ts";
import { ErrorBody, ItemAnswer, ItemRefusal, SpanRows } from "../openapi/schemas.ts";

function unpack(body: unknown): { project: string; rows: unknown[] } {
  if (Array.isArray(body)) return { project: "default", rows: body };
  if (!isObject(body)) throw badRequest('body must be {"project": ..., "rows": [...]} or an array of rows');
  if (!Array.isArray(body.rows)) throw badRequest("rows must be an array of span rows");
  const project = checkName(body.project, "project", false, ROW_BOUNDS.projectChars);
  if (!project.ok) throw badRequest(`${project.path} ${project.message}`);
  return { project: (body.project as string | undefined) ?? "default", rows: body.rows };
}

/** POST /api/v1/spans: span rows from the SDKs, merged by id (docs/SPANS.md). */
export const spanRoutes = (deps: AppDeps) =>
  new Elysia().post(
    "/api/v1/spans",
    async ({ request }) => {
      const { project, rows } = unpack(await readJsonBody(request));
      if (rows.length > LIMITS.items) {
        throw badRequest(`${rows.length} rows in one request; the limit is ${LIMITS.items}`);
      }
      const good: SpanRowInput[] = [];
      // Where each good row stands in the request, to name a row the writer refuses.
      const indexOf: number[] = [];
      const errors: ItemError[] = [];
      rows.forEach((row, index) => {
        const checked = validateSpanRow(row, `rows[${index}]`);
        if (checked.ok) good.push(checked.value), indexOf.push(index);
        else errors.push({ index, id: idOf(row), path: checked.path, message: checked.message });
      });
      const write = good.length
        ? deps.writer.accept([{ project, source: "sdk", rows: good, traces: [] }], COMMIT_WAIT_MS).then((ack) => answerOf(ack))
        : null;
      return itemResponse(write, good.length, errors, "span rows", (r) => {
        const index = indexOf[r.index] ?? r.index;
        return { index, id: r.id, path: `rows[${index}]`, message: refusedMessage(r) };
      });
    },
    {
      parse: "none",
      detail: {
        summary: "Write span rows",
        description: "Span rows from the SDKs (docs/SPANS.md), merged by id: a span is usually sent when it starts and again when it ends.",
        tags: ["ingest"],
        requestBody: body("span rows", { "application/json": SpanRows }),
        responses: itemAnswers("span rows", { ItemAnswer, ItemRefusal, ErrorBody }),
      },
    },
  );

export function idOf(item: unknown): string | null {
  return isObject(item) && typeof item.id === "string" ? item.id : null;
}
