import type { LiveBus, LiveFilter } from "./bus.ts";
import { formatControl, formatEvent, heartbeatFrame } from "./sse-format.ts";

export type LiveStreamOptions = LiveFilter & {
  lastEventId: number | null;
  heartbeatMs: number;
  signal?: AbortSignal;
  /**
   * Closes the subscriber's connection. Called when it is dropped as too slow: a client that stopped
   * reading never lets the stream's own end through, so only closing the socket frees it.
   */
  closeConnection?: () => void;
};

/**
 * One subscriber's SSE byte stream. Pull-based: while the client's socket is
 * backed up Bun stops pulling, events pile up in the subscription's bounded
 * queue, and past its limit the bus drops it — the server never waits on it —
 * and its connection is closed.
 */
export function openLiveStream(bus: LiveBus, options: LiveStreamOptions): ReadableStream<Uint8Array> {
  const { subscription, gap } = bus.subscribe(options);
  const encoder = new TextEncoder();
  const release = () => subscription.close();
  options.signal?.addEventListener("abort", release, { once: true });
  void subscription.whenEnded.then((reason) => {
    if (reason === "slow") options.closeConnection?.();
  });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Sent at once so the browser sees the stream open (and proxies flush
      // headers). A fresh client gets the current id as its resume point, so a
      // reconnect before its first event still misses nothing; a resuming one
      // keeps its own until the replay has reached it.
      const fresh = options.lastEventId === null;
      const cursor = bus.lastEventId();
      let hello = "retry: 2000\n" + formatControl("ready", { last_event_id: cursor }, fresh ? cursor : null);
      if (gap) hello += formatControl("reset", { reason: "events since Last-Event-ID are no longer held" });
      controller.enqueue(encoder.encode(hello));
    },
    async pull(controller) {
      const batch = await subscription.next(options.heartbeatMs);
      if (batch === null) {
        options.signal?.removeEventListener("abort", release);
        try {
          if (subscription.ended === "slow") controller.enqueue(encoder.encode(": dropped: client too slow\n\n"));
          controller.close();
        } catch {
          // The client went away first: the stream is already cancelled.
        }
        return;
      }
      const text = batch.length ? batch.map(formatEvent).join("") : heartbeatFrame;
      controller.enqueue(encoder.encode(text));
    },
    cancel: release,
  });
}
