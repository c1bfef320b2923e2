import { Elysia } from "elysia";
import { deleteScore } from "../../db/query/scores.ts";
import { answerOf } from "../../db/write/journal/journaled-writer.ts";
import type { ScoreInput } from "../../db/write/score-row.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest, notFound } from "../errors.ts";
import type { ItemError } from "../http/checked.ts";
import { COMMIT_WAIT_MS, itemResponse, refusedMessage } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { body, answers, itemAnswers } from "../openapi/describe.ts";
import { ErrorBody, ItemRefusal, ScoreAnswer, ScoreBody, ScoreDeleted, ScoreId } from "../openapi/schemas.ts";
import { idOf } from "../spans/routes.ts";
import { validateScore } from "./validate-score.ts";

/** POST /api/v1/scores (one score or an array; the same id updates) and DELETE /api/v1/scores/:id. */
export const scoreRoutes = (deps: AppDeps) =>
  new Elysia()
    .post(
      "/api/v1/scores",
      async ({ request }) => {
        const payload = await readJsonBody(request);
        const items = Array.isArray(payload) ? payload : [payload];
        if (items.length > LIMITS.items) throw badRequest(`${items.length} scores in one request; the limit is ${LIMITS.items}`);
        const good: ScoreInput[] = [];
        const indexOf: number[] = [];
        const errors: ItemError[] = [];
        // Each item's id (made when absent), so a caller can update or delete the score later.
        const ids: (string | null)[] = [];
        const at = (index: number) => (Array.isArray(payload) ? `[${index}]` : "");
        items.forEach((item, index) => {
          const checked = validateScore(item, at(index));
          if (!checked.ok) {
            errors.push({ index, id: idOf(item), path: checked.path, message: checked.message });
            ids.push(null);
            return;
          }
          good.push(checked.value);
          indexOf.push(index);
          ids.push(checked.value.id);
        });
        // The writer's fallback project: a score that names none takes its trace's (db/write/score-upsert.ts).
        const write = good.length
          ? deps.writer.accept([{ project: "default", source: "sdk", rows: [], traces: [], scores: good }], COMMIT_WAIT_MS).then((ack) => answerOf(ack))
          : null;
        const extra = Array.isArray(payload) ? { ids } : { id: ids[0] };
        return itemResponse(write, good.length, errors, "scores", (r) => {
          const index = indexOf[r.index] ?? r.index;
          return { index, id: r.id, path: at(index) || "$", message: refusedMessage(r) };
        }, extra);
      },
      {
        parse: "none",
        detail: {
          summary: "Score a trace or span",
          description:
            "One score or an array: a number (`value`) or a `label` named `name` on a trace (`trace_id`) or one of its spans (`span_id`), with an optional comment. The same `id` updates the score; without one an id is made and returned. A score may come before its trace.",
          tags: ["scores"],
          requestBody: body("one score or an array of scores", { "application/json": ScoreBody }),
          responses: itemAnswers("scores", { ItemAnswer: ScoreAnswer, ItemRefusal, ErrorBody }),
        },
      },
    )
    .delete(
      "/api/v1/scores/:id",
      async ({ params }) => {
        if (!(await deleteScore(deps.store.db, params.id))) throw notFound(`no score with id ${params.id}`);
        return { deleted: params.id };
      },
      {
        params: ScoreId,
        detail: {
          summary: "Delete a score",
          tags: ["scores"],
          responses: answers({ 200: ["deleted", ScoreDeleted], 404: ["no score with that id", ErrorBody] }),
        },
      },
    );
