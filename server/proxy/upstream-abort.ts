export type AbortReason = "caller" | "timeout";

/**
 * One abort for the upstream request, fired by whichever comes first: the caller going away (Bun
 * does not cancel an outgoing fetch when the incoming request's client disconnects, so this wires
 * it), or no response headers within the timeout.
 */
export function upstreamAbort(callerSignal: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  let reason: AbortReason | null = null;
  const abort = (why: AbortReason) => {
    reason ??= why;
    controller.abort(new Error(why === "caller" ? "caller disconnected" : "upstream timed out"));
  };
  const onCaller = () => abort("caller");
  if (callerSignal.aborted) onCaller();
  else callerSignal.addEventListener("abort", onCaller, { once: true });
  const timer = setTimeout(() => abort("timeout"), timeoutMs);
  return {
    signal: controller.signal,
    reason: () => reason,
    /** The caller stopped reading the answer (its connection went away mid-stream). */
    callerLeft: onCaller,
    headersArrived: () => clearTimeout(timer),
  };
}
