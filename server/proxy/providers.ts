/** What differs between the two upstreams beyond their endpoints. */
export type Provider = {
  name: "openai" | "anthropic";
  /** The header carrying the provider's request id, recorded in span metadata. */
  requestIdHeader: string;
  /** An error Kalmia itself answers (400, 413, 502, 504) in the shape this provider's clients parse. */
  errorBody(status: number, message: string): unknown;
};

const OPENAI_TYPES: Record<number, string> = { 400: "invalid_request_error", 413: "invalid_request_error", 502: "upstream_error", 504: "upstream_timeout" };
const ANTHROPIC_TYPES: Record<number, string> = { 400: "invalid_request_error", 413: "request_too_large", 502: "api_error", 504: "timeout_error" };

export const OPENAI: Provider = {
  name: "openai",
  requestIdHeader: "x-request-id",
  errorBody: (status, message) => ({ error: { message, type: OPENAI_TYPES[status] ?? "server_error", param: null, code: null } }),
};

export const ANTHROPIC: Provider = {
  name: "anthropic",
  requestIdHeader: "request-id",
  errorBody: (status, message) => ({ type: "error", error: { type: ANTHROPIC_TYPES[status] ?? "api_error", message } }),
};

export function providerError(provider: Provider, status: number, message: string): Response {
  return new Response(JSON.stringify(provider.errorBody(status, message)), { status, headers: { "content-type": "application/json" } });
}
