import { jsonResponse } from "../respond.ts";
import { anthropicErrorResponse } from "./errors.ts";

const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"];

const modelObject = (id: string) => ({ type: "model", id, display_name: id.replace(/-/g, " "), created_at: "2025-09-29T00:00:00Z" });

/** GET /v1/models (Anthropic): one page holding every model. */
export function anthropicModels(requestId: string): Response {
  const data = MODELS.map(modelObject);
  return jsonResponse({ data, has_more: false, first_id: MODELS[0], last_id: MODELS.at(-1) }, 200, { "request-id": requestId });
}

/** GET /v1/models/{id} (Anthropic): one model, or a 404 not_found_error. */
export function anthropicModel(id: string, requestId: string): Response {
  if (!MODELS.includes(id)) return anthropicErrorResponse(404, requestId);
  return jsonResponse(modelObject(id), 200, { "request-id": requestId });
}
