import { withQuery } from "./http.ts";
import type { Span, TraceSummary } from "./types.ts";

export type LiveStatus = "connecting" | "live" | "offline";

export type LiveHandlers = {
  onTrace?(trace: TraceSummary): void;
  onSpan?(span: Span): void;
  /** The server lost events we would have needed: refetch from scratch. */
  onReset?(): void;
  onStatus?(status: LiveStatus): void;
};

/**
 * Follows /api/v1/live. EventSource reconnects by itself and sends
 * Last-Event-ID, so a dropped connection resumes where it left off.
 */
export function connectLive(
  filter: { project?: string; traceId?: string; only?: "trace" | "span" },
  handlers: LiveHandlers,
): () => void {
  const source = new EventSource(withQuery("/api/v1/live", { project: filter.project, trace_id: filter.traceId, events: filter.only }));
  handlers.onStatus?.("connecting");
  source.addEventListener("ready", () => handlers.onStatus?.("live"));
  source.addEventListener("reset", () => handlers.onReset?.());
  source.addEventListener("trace", (e) => handlers.onTrace?.(JSON.parse((e as MessageEvent).data)));
  source.addEventListener("span", (e) => handlers.onSpan?.(JSON.parse((e as MessageEvent).data)));
  source.addEventListener("error", () => handlers.onStatus?.(source.readyState === EventSource.CLOSED ? "offline" : "connecting"));
  return () => source.close();
}
