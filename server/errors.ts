/** An error meant for the caller: carries its HTTP status and a stable type. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const badRequest = (message: string) => new HttpError(400, "invalid_request", message);
export const notFound = (message: string) => new HttpError(404, "not_found", message);
/** Not done now, nothing changed: retry later (a write it must follow is still pending). */
export const unavailable = (message: string) => new HttpError(503, "unavailable", message);
export const payloadTooLarge = (message: string) =>
  new HttpError(413, "payload_too_large", message);

export function errorBody(type: string, message: string) {
  return { error: { message, type } };
}

export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function errorResponse(error: HttpError): Response {
  return jsonResponse(error.status, errorBody(error.type, error.message));
}

/** An error's stack (or text) for the log, with every URL's query string cut off. */
export function withoutQueryStrings(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.replace(/\?[^\s'"`)]*/g, "?…");
}
