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

/** POSTs one JSON body. 429, 5xx, timeouts and network failures are worth a retry; other 4xx are not. */
export async function postBatch(target: PostTarget, body: string): Promise<PostOutcome> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = target.signal ? anySignal([timeout, target.signal]) : timeout;
  try {
    const response = await fetch(target.url, { method: "POST", headers, body, signal });
    // Read the body so the connection can be reused; its content does not matter here.
    const text = await response.text().catch(() => "");
    if (response.ok) return { kind: "sent" };
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    if (response.status === 429 || response.status >= 500) {
      return { kind: "retry", reason: `HTTP ${response.status}`, retryAfterMs };
    }
    return { kind: "rejected", status: response.status, reason: text.slice(0, 300) };
  } catch (error) {
    return { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
  }
}

// AbortSignal.any arrived in Node 20.3; Node 18 still needs the manual version.
function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
