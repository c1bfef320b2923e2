import { EventRing } from "./event-ring.ts";
import type { LiveEvent } from "./live-event.ts";
import type { LiveFilter } from "./live-filter.ts";
import { createProjectIndex } from "./project-index.ts";
import { Subscription } from "./subscription.ts";
import { createInProcessTransport, type LiveChange, type LiveTransport } from "./transport.ts";

export type { LiveChange, LiveTransport } from "./transport.ts";
export type { LiveEvent } from "./live-event.ts";
export type { LiveFilter } from "./live-filter.ts";
export { Subscription } from "./subscription.ts";

export type LiveBusOptions = {
  /** How changes reach every replica's bus; in-process by default. */
  transport?: LiveTransport;
  /** Recent events kept for Last-Event-ID resume. */
  ringSize?: number;
  /** Events a subscriber may have queued before it is dropped as slow. */
  subscriberBuffer?: number;
  /** How long after the last subscriber left events are still worth publishing. */
  resumeWindowMs?: number;
};

export type SubscribeOptions = LiveFilter & {
  /** Resume after this event id; events still in the ring are replayed first. */
  lastEventId?: number | null;
};

export type SubscribeResult = {
  subscription: Subscription;
  /**
   * True when the events after `lastEventId` are no longer all held (ring
   * overrun or a server restart): the client must refetch instead of trusting
   * the replay to be complete.
   */
  gap: boolean;
};

export type LiveBus = {
  /** Settles when the transport is delivering (at once for the in-process one). */
  ready: Promise<void>;
  /** Called by the writer after every commit. Never throws. */
  publish(change: LiveChange): void;
  /**
   * In-flight state that is not stored, such as a streaming call's partial
   * output (a span row with `status: "running"` and the text so far), for
   * the dashboards on this replica only. It skips the transport: the stored
   * rows that follow are what every replica sees. Never throws.
   */
  publishProgress(change: LiveChange): void;
  subscribe(options?: SubscribeOptions): SubscribeResult;
  subscriberCount(): number;
  /**
   * Whether publishing is worth its cost: a subscriber is connected, or one
   * left recently enough that it may reconnect and resume from its
   * Last-Event-ID — skipping events then would leave a silent gap.
   */
  wantsEvents(): boolean;
  /** Id of the newest event (before the first: one below the first id to come). */
  lastEventId(): number;
  close(): Promise<void>;
};

export function createLiveBus(options: LiveBusOptions = {}): LiveBus {
  const transport = options.transport ?? createInProcessTransport();
  const ring = new EventRing(options.ringSize ?? 10_000);
  const bufferLimit = options.subscriberBuffer ?? 2_000;
  const subscribers = new Set<Subscription>();
  const resumeWindowMs = options.resumeWindowMs ?? 60_000;
  let lastLeftAt = Number.NEGATIVE_INFINITY;
  const projects = createProjectIndex();
  // Ids start at the boot time in microseconds so that ids keep rising across a
  // restart: a client resuming with an id from before it sees a gap, not silence.
  const firstId = Date.now() * 1000;
  let nextId = firstId;

  function emit(kind: LiveEvent["kind"], data: object, project: string | null): void {
    const event: LiveEvent = { id: nextId++, kind, project, data };
    ring.push(event);
    for (const sub of subscribers) if (sub.accepts(event)) sub.offer(event);
  }

  function deliver(change: LiveChange): void {
    for (const trace of change.traces ?? []) emit("trace", trace, projects.rememberTrace(trace));
    for (const span of change.spans ?? []) emit("span", span, projects.ofSpan(span));
  }

  // A transport that connects somewhere (Postgres LISTEN) is ready only once
  // listening; the server awaits this before it takes traffic.
  const ready = Promise.resolve(transport.start(deliver));

  return {
    ready,
    publish(change) {
      try {
        transport.send(change);
      } catch (error) {
        // The writer has already committed; a feed fault must not surface there.
        console.error("live bus: publish failed", error);
      }
    },

    publishProgress(change) {
      if (subscribers.size === 0) return;
      try {
        deliver(change);
      } catch (error) {
        console.error("live bus: progress publish failed", error);
      }
    },

    subscribe({ lastEventId = null, ...filter } = {}) {
      const subscription = new Subscription(filter, bufferLimit, (s) => {
        subscribers.delete(s);
        lastLeftAt = Date.now();
      });
      let gap = false;
      if (lastEventId !== null && Number.isFinite(lastEventId)) {
        const oldest = ring.oldestId();
        const newest = nextId - 1;
        gap = lastEventId > newest || (oldest === null ? lastEventId < firstId - 1 : lastEventId < oldest - 1);
        // Replay and registration happen in one synchronous step, so no event
        // published in between can fall through the crack.
        for (const event of ring.since(lastEventId)) if (subscription.accepts(event)) subscription.offer(event);
      }
      subscribers.add(subscription);
      return { subscription, gap };
    },

    subscriberCount: () => subscribers.size,
    wantsEvents: () => subscribers.size > 0 || Date.now() - lastLeftAt < resumeWindowMs,
    lastEventId: () => nextId - 1,

    async close() {
      for (const sub of [...subscribers]) sub.close();
      await transport.close();
    },
  };
}
