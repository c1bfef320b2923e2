/**
 * Exponential backoff with full jitter, so many SDK processes retrying after the same outage spread out.
 * A server's `Retry-After` wins when it asks for longer, within `capMs`.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, retryAfterMs?: number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  if (retryAfterMs === undefined) return jittered;
  return Math.min(capMs, Math.max(jittered, retryAfterMs));
}
