import type { Acknowledgment } from "../../db/journal/journaled-writer.ts";
import { errorBody, jsonResponse } from "../errors.ts";
import type { ItemError } from "./checked.ts";

// How long a request waits for its rows to commit before answering 202: by then they are in the
// journal on disk (db/journal/), and written from it once the database is back, restarts included.
export const COMMIT_WAIT_MS = 10_000;

/** Reports what was taken and what was not, once the write is committed or durably queued. */
export async function itemResponse(
  write: Promise<Acknowledgment> | null,
  accepted: number,
  errors: ItemError[],
  noun: string,
): Promise<Response> {
  if (accepted === 0) {
    const first = errors[0];
    const message = first
      ? `no valid ${noun}: ${first.path} ${first.message}`
      : `no ${noun} in the request body`;
    return jsonResponse(400, { ...errorBody("invalid_request", message), errors });
  }
  const outcome = write ? await write : "committed";
  if (outcome === "refused") {
    return jsonResponse(503, errorBody("overloaded", "the write buffer is full; retry later"), { "retry-after": "5" });
  }
  if (outcome === "unavailable") return jsonResponse(503, errorBody("unavailable", UNAVAILABLE), { "retry-after": "2" });
  const body = { accepted, ...(errors.length ? { errors } : {}), ...(outcome === "queued" ? { queued: true } : {}) };
  return jsonResponse(errors.length ? 207 : outcome === "queued" ? 202 : 200, body);
}

/** The server is stopping (or its journal could not take the write): nothing was acknowledged. */
export const UNAVAILABLE = "this server is not taking writes now (it is stopping); retry";
