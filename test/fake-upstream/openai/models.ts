import { CREATED } from "../ids.ts";
import { jsonResponse } from "../respond.ts";

const MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "text-embedding-3-small"];

/** GET /v1/models. */
export function models(requestId: string): Response {
  const data = MODELS.map((id) => ({ id, object: "model", created: CREATED, owned_by: "system" }));
  return jsonResponse({ object: "list", data }, 200, { "x-request-id": requestId });
}
