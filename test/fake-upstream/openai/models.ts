import { CREATED } from "../ids.ts";
import { jsonResponse } from "../respond.ts";
import { openaiErrorResponse } from "./errors.ts";

const MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "text-embedding-3-small"];

const modelObject = (id: string) => ({ id, object: "model", created: CREATED, owned_by: "system" });

/** GET /v1/models. */
export function models(requestId: string): Response {
  return jsonResponse({ object: "list", data: MODELS.map(modelObject) }, 200, { "x-request-id": requestId });
}

/** GET /v1/models/{id}: one model, or OpenAI's 404 for an id it does not know. */
export function model(id: string, requestId: string): Response {
  if (!MODELS.includes(id)) return openaiErrorResponse(404, requestId);
  return jsonResponse(modelObject(id), 200, { "x-request-id": requestId });
}
