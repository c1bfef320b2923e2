import { Elysia } from "elysia";
import { deleteScore } from "../../db/query/scores.ts";
import { answerOf } from "../../db/write/journal/journaled-writer.ts";
import type { ScoreInput } from "../../db/write/score-row.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest, notFound, unavailable } from "../errors.ts";
import type { ItemError } from "../http/checked.ts";
import { COMMIT_WAIT_MS, itemResponse, refusedMessage } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { body, answers, itemAnswers } from "../openapi/describe.ts";
import { ErrorBody, ItemRefusal, ScoreAnswer, ScoreBody, ScoreDeleted, ScoreId } from "../openapi/schemas.ts";
import { idOf } from "../spans/routes.ts";
import { validateScore } from "./validate-score.ts";

const STILL_PENDING = "an earlier write of this score is not stored yet (the database is slow or down); retry";

/** Whether a score item came with its own id (one made here is new: no earlier write has it). */
const hasOwnId = (item: unknown) => typeof (item as { id?: unknown } | null)?.id === "string";

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
        // An update waits for an earlier write of its id still queued (a 202): the writer's overlapping
        // batches could otherwise write the older over it.
        const given = good.filter((s, i) => hasOwnId(items[indexOf[i]!])).map((s) => s.id);
        if (given.length && !(await deps.writer.scoresSettled(given, COMMIT_WAIT_MS, false))) throw unavailable(STILL_PENDING);
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
        // Deleted on the database directly, so first every write of this id taken before (a 202 still
        // queued, the journal's replay) is written: else it could land after the delete and bring
        // the score back, or the delete 404 a score acknowledged.
        if (!(await deps.writer.scoresSettled([params.id], COMMIT_WAIT_MS))) throw unavailable(STILL_PENDING);
        if (!(await deleteScore(deps.store.db, params.id))) throw notFound(`no score with id ${params.id}`);
        return { deleted: params.id };
      },
      {
        params: ScoreId,
        detail: {
          summary: "Delete a score",
          tags: ["scores"],
          responses: answers({ 200: ["deleted", ScoreDeleted], 404: ["no score with that id", ErrorBody], 503: ["an earlier write of the score is still queued; retry", ErrorBody] }),
        },
      },
    );
