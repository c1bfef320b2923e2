import type { HttpError } from "../errors.ts";

export type Encoding = "protobuf" | "json";

// gRPC status codes used in google.rpc.Status bodies (OTLP/HTTP "Failures").
const GRPC_CODE: Record<number, number> = { 400: 3, 413: 3, 415: 3, 429: 8, 503: 14 };

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const field = (number: number, wire: number) => varint(number * 8 + wire);

function lenField(number: number, bytes: Uint8Array | number[]): number[] {
  return [...field(number, 2), ...varint(bytes.length), ...bytes];
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function respond(status: number, encoding: Encoding, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string> = {}) {
  const type = encoding === "protobuf" ? "application/x-protobuf" : "application/json";
  return new Response(body, { status, headers: { "content-type": type, ...headers } });
}

/**
 * ExportTraceServiceResponse, in the request's encoding. An empty
 * partial_success means everything was accepted.
 */
export function exportResponse(encoding: Encoding, rejected: number, message: string): Response {
  if (encoding === "json") {
    const body = rejected > 0 ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage: message } } : {};
    return respond(200, "json", JSON.stringify(body));
  }
  if (rejected === 0) return respond(200, "protobuf", new Uint8Array());
  const partial = [...field(1, 0), ...varint(rejected), ...lenField(2, utf8(message))];
  return respond(200, "protobuf", new Uint8Array(lenField(1, partial)));
}

/**
 * A failure as OTLP/HTTP asks: a google.rpc.Status in the request's encoding.
 * The JSON form also carries Kalmia's {"error": {message, type}} so that it
 * reads like every other Kalmia error.
 */
export function otlpError(encoding: Encoding, error: HttpError, headers: Record<string, string> = {}): Response {
  const code = GRPC_CODE[error.status] ?? 2;
  if (encoding === "json") {
    const body = { code, message: error.message, error: { message: error.message, type: error.type } };
    return respond(error.status, "json", JSON.stringify(body), headers);
  }
  const status = [...field(1, 0), ...varint(code), ...lenField(2, utf8(error.message))];
  return respond(error.status, "protobuf", new Uint8Array(status), headers);
}
