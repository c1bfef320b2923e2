import type { Answer } from "../../db/write/journal/journaled-writer.ts";
import { rejectionsOf, type Rejection } from "../../db/write/writer.ts";
import { errorBody, jsonResponse } from "../errors.ts";
import type { ItemError } from "./checked.ts";

// How long a request waits for its rows to commit before answering 202: by then they are in the
// journal on disk (db/write/journal/), and written from it once the database is back, restarts included.
export const COMMIT_WAIT_MS = 10_000;

/** The server is stopping (or its journal could not take the write): nothing was acknowledged. */
export const UNAVAILABLE = "this server is not taking writes now (it is stopping); retry";

/** What an item error says of a row the writer could not store. */
export const refusedMessage = (r: Rejection) => `could not be stored: ${r.reason} (${r.code})`;

function noneTaken(errors: ItemError[], noun: string): Response {
  const first = errors[0];
  const message = first
    ? `no valid ${noun}: ${first.path} ${first.message}`
    : `no ${noun} in the request body`;
  return jsonResponse(400, { ...errorBody("invalid_request", message), errors });
}

/**
 * Reports what was taken and what was not, once the write is committed or durably queued: the items
 * invalid before the write (`errors`) and those whose rows the writer could not store
 * (`nameRejected` says which item and field each refused row was), so no refused row is ever
 * answered as accepted.
 */
export async function itemResponse(
  write: Promise<Answer> | null,
  accepted: number,
  errors: ItemError[],
  noun: string,
  nameRejected: (rejection: Rejection) => ItemError = (r) => ({ index: r.index, id: r.id, path: `[${r.index}]`, message: refusedMessage(r) }),
  /** More of the answer when something was taken (the ids of the scores, server/scores/routes.ts). */
  extra: Record<string, unknown> = {},
): Promise<Response> {
  if (accepted === 0) return noneTaken(errors, noun);
  const outcome = write ? await write : "committed";
  if (typeof outcome === "object" && rejectionsOf(outcome).length) {
    const refused = rejectionsOf(outcome).map(nameRejected);
    // An item with several refused rows is one item not (wholly) taken.
    accepted -= new Set(refused.map((e) => e.index)).size;
    errors = [...errors, ...refused].sort((a, b) => a.index - b.index);
    if (accepted <= 0) return noneTaken(errors, noun);
  }
  if (outcome === "refused") {
    return jsonResponse(503, errorBody("overloaded", "the write buffer is full; retry later"), { "retry-after": "5" });
  }
  // Given up before it was journaled (a writer's thread that died): nothing was acknowledged.
  if (outcome === "unavailable" || outcome === "dropped") {
    return jsonResponse(503, errorBody("unavailable", UNAVAILABLE), { "retry-after": "2" });
  }
  const body = { accepted, ...extra, ...(errors.length ? { errors } : {}), ...(outcome === "queued" ? { queued: true } : {}) };
  return jsonResponse(errors.length ? 207 : outcome === "queued" ? 202 : 200, body);
}
