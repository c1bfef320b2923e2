import { countMessageTokens, messages } from "./anthropic/messages.ts";
import { anthropicErrorResponse } from "./anthropic/errors.ts";
import type { FakeCall } from "./fake-call.ts";
import { chatCompletions } from "./openai/chat.ts";
import { embeddings } from "./openai/embeddings.ts";
import { openaiErrorResponse } from "./openai/errors.ts";
import { model, models } from "./openai/models.ts";
import { anthropicModel, anthropicModels } from "./anthropic/models.ts";
import { responses } from "./openai/responses.ts";

export type Route = {
  answer: (call: FakeCall) => Response;
  error: (status: number, requestId: string, echo: string | null) => Response;
  /** The provider's own refusal of a request without credentials or required headers. */
  reject: (headers: Headers) => number | null;
};

const openai = { error: openaiErrorResponse, reject: (headers: Headers) => (headers.get("authorization")?.startsWith("Bearer ") ? null : 401) };
const anthropic = {
  error: anthropicErrorResponse,
  reject: (headers: Headers) => {
    if (!headers.get("x-api-key") && !headers.get("authorization")) return 401;
    return headers.get("anthropic-version") ? null : 400;
  },
};

export const ROUTES: Record<string, Route> = {
  "POST /v1/chat/completions": { ...openai, answer: chatCompletions },
  "POST /v1/responses": { ...openai, answer: responses },
  "POST /v1/embeddings": { ...openai, answer: embeddings },
  "GET /v1/models": { ...openai, answer: (call) => models(call.requestId) },
  "GET /v1/models/:id": { ...openai, answer: (call) => model(call.id, call.requestId) },
  // The two providers share the models path; the Anthropic clients' `anthropic-version` header picks these.
  "anthropic GET /v1/models": { ...anthropic, answer: (call) => anthropicModels(call.requestId) },
  "anthropic GET /v1/models/:id": { ...anthropic, answer: (call) => anthropicModel(call.id, call.requestId) },
  "POST /v1/messages": { ...anthropic, answer: messages },
  "POST /v1/messages/count_tokens": { ...anthropic, answer: countMessageTokens },
};

/** The route a request takes: `…/models/{id}` is keyed `…/models/:id`, and Anthropic's models by their header. */
export function routeOf(method: string, path: string, headers: Headers): { route: Route | undefined; id: string } {
  const idMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
  const key = `${method} ${idMatch ? "/v1/models/:id" : path}`;
  const anthropicModels = path.startsWith("/v1/models") && headers.has("anthropic-version");
  return { route: ROUTES[anthropicModels ? `anthropic ${key}` : key], id: idMatch ? decodeURIComponent(idMatch[1]) : "" };
}
