import { Buffer } from "node:buffer";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { parseRetryAfter } from "./retry-after.ts";

/** What one POST of a batch came to; a value, never an exception. */
export type PostOutcome =
  | { kind: "sent" }
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  | { kind: "rejected"; status: number; reason: string };

export interface PostTarget {
  url: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  /** Aborts the request early, e.g. when the process is leaving. */
  signal?: AbortSignal | undefined;
}

/**
 * POSTs one JSON body. 429, 5xx, timeouts and network failures are worth a retry; other 4xx are not.
 *
 * node:http rather than fetch: its socket can be unref'd, so a request in flight to a slow or hung server
 * never keeps a finished program alive (a pending fetch does, in Node and in Bun, until it times out).
 * The exit flush keeps the process up, for a bounded time, when delivery is worth waiting for.
 */
export function postBatch(target: PostTarget, body: string): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      target.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const retry = (error: unknown) => settle({ kind: "retry", reason: error instanceof Error ? error.message : String(error) });

    const url = new URL(target.url);
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(url, { method: "POST", headers }, (response) => readOutcome(response).then(settle, retry));
    request.on("socket", (socket) => socket.unref());
    request.on("error", retry);

    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${target.timeoutMs} ms`)), target.timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    const onAbort = () => request.destroy(new Error("aborted"));
    if (target.signal?.aborted) return void onAbort();
    target.signal?.addEventListener("abort", onAbort, { once: true });
    request.end(body);
  });
}

function readOutcome(response: IncomingMessage): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    let text = "";
    response.setEncoding("utf8");
    // Read the whole body so the connection can be reused; only its start matters, for a warning.
    response.on("data", (chunk: string) => {
      if (text.length < 300) text += chunk;
    });
    response.on("error", reject);
    response.on("end", () => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve({ kind: "sent" });
      const header = response.headers["retry-after"];
      const retryAfterMs = parseRetryAfter(Array.isArray(header) ? (header[0] ?? null) : (header ?? null));
      if (status === 429 || status >= 500) return resolve({ kind: "retry", reason: `HTTP ${status}`, retryAfterMs });
      resolve({ kind: "rejected", status, reason: text.slice(0, 300) });
    });
  });
}
