import type { WriteOutcome } from "../../db/writer.ts";
import { errorBody, jsonResponse } from "../errors.ts";
import type { ItemError } from "./checked.ts";

// How long a request waits for its rows to commit before answering 202:
// the rows stay queued in the writer, which retries until the database is back.
const COMMIT_WAIT_MS = 10_000;

/** Waits for the write, bounded, and reports what was taken and what was not. */
export async function itemResponse(
  write: Promise<WriteOutcome> | null,
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
  const outcome = write
    ? await Promise.race([write, Bun.sleep(COMMIT_WAIT_MS).then(() => "queued" as const)])
    : "committed";
  if (outcome === "dropped") {
    return jsonResponse(
      503,
      errorBody("overloaded", "the write buffer is full; retry later"),
      { "retry-after": "5" },
    );
  }
  const body = { accepted, ...(errors.length ? { errors } : {}), ...(outcome === "queued" ? { queued: true } : {}) };
  return jsonResponse(errors.length ? 207 : outcome === "queued" ? 202 : 200, body);
}
