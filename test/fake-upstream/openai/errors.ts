import { jsonResponse } from "../respond.ts";

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request: the fake upstream was asked to reject it." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Country, region, or territory not supported" },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist or you do not have access to it." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again in 1s." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
};

export function openaiErrorBody(status: number, echo: string | null = null) {
  const known = ERRORS[status] ?? ERRORS[500];
  return { error: { message: withEcho(known.message, echo), type: known.type, param: null, code: known.code } };
}

/** The `echo-key` scenario's error message: the key repeated, as OpenAI's 401 once did. */
export const withEcho = (message: string, echo: string | null) => (echo === null ? message : `${message} Key provided: ${echo}.`);

/** An error the way api.openai.com sends it: JSON body, `x-request-id`, and `retry-after` when retrying helps. */
export function openaiErrorResponse(status: number, requestId: string, echo: string | null = null): Response {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (status === 429 || status >= 500) headers["retry-after"] = "1";
  if (status === 429) Object.assign(headers, { "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s" });
  return jsonResponse(openaiErrorBody(status, echo), status, headers);
}
