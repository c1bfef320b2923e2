import { countMessageTokens, messages } from "./anthropic/messages.ts";
import { anthropicErrorResponse } from "./anthropic/errors.ts";
import type { FakeCall } from "./fake-call.ts";
import { chatCompletions } from "./openai/chat.ts";
import { embeddings } from "./openai/embeddings.ts";
import { openaiErrorResponse } from "./openai/errors.ts";
import { models } from "./openai/models.ts";
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
  "POST /v1/messages": { ...anthropic, answer: messages },
  "POST /v1/messages/count_tokens": { ...anthropic, answer: countMessageTokens },
};
