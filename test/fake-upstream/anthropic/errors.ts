import { withEcho } from "../openai/errors.ts";
import { jsonResponse } from "../respond.ts";

const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request: the fake upstream was asked to reject it." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
  404: { type: "not_found_error", message: "The requested resource could not be found." },
  413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
  429: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit." },
  500: { type: "api_error", message: "Internal server error" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

export function anthropicErrorBody(status: number, requestId: string | null, echo: string | null = null) {
  const known = ERRORS[status] ?? ERRORS[500];
  return { type: "error", error: { type: known.type, message: withEcho(known.message, echo) }, ...(requestId ? { request_id: requestId } : {}) };
}

/** An error the way api.anthropic.com sends it: JSON body, `request-id`, and `retry-after` when retrying helps. */
export function anthropicErrorResponse(status: number, requestId: string, echo: string | null = null): Response {
  const headers: Record<string, string> = { "request-id": requestId };
  if (status === 429 || status >= 500) headers["retry-after"] = "1";
  if (status === 429) Object.assign(headers, { "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "0" });
  return jsonResponse(anthropicErrorBody(status, requestId, echo), status, headers);
}
