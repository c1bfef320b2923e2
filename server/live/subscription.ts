import type { LiveEvent } from "./live-event.ts";
import { matchesFilter, type LiveFilter } from "./live-filter.ts";

/** Why a subscription stopped: its owner closed it, or it fell too far behind. */
export type SubscriptionEnd = "closed" | "slow";

/**
 * One subscriber's bounded queue. The bus `offer`s events without waiting; a
 * subscriber that lets `limit` events pile up is ended as "slow", so a stalled
 * browser tab can never make the server hold unbounded memory or wait.
 */
export class Subscription {
  private queue: LiveEvent[] = [];
  private wake: (() => void) | null = null;
  private endReason: SubscriptionEnd | null = null;
  private resolveEnded!: (reason: SubscriptionEnd) => void;
  /** Settles with the reason once the subscription has ended, whoever ended it. */
  readonly whenEnded = new Promise<SubscriptionEnd>((resolve) => (this.resolveEnded = resolve));

  constructor(
    readonly filter: LiveFilter,
    private readonly limit: number,
    private readonly onEnd: (sub: Subscription) => void,
  ) {}

  get ended(): SubscriptionEnd | null {
    return this.endReason;
  }

  get pending(): number {
    return this.queue.length;
  }

  accepts(event: LiveEvent): boolean {
    return matchesFilter(this.filter, event);
  }

  offer(event: LiveEvent): void {
    if (this.endReason) return;
    if (this.queue.length >= this.limit) return this.end("slow");
    this.queue.push(event);
    this.signal();
  }

  /**
   * Resolves with the queued events once there are any, with [] after
   * `timeoutMs` of quiet (time for a heartbeat), or with null once ended.
   */
  async next(timeoutMs: number): Promise<LiveEvent[] | null> {
    if (!this.queue.length && !this.endReason) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      this.wake = null;
    }
    if (this.endReason === "slow") return null;
    if (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }
    return this.endReason ? null : [];
  }

  close(): void {
    this.end("closed");
  }

  private end(reason: SubscriptionEnd): void {
    if (this.endReason) return;
    this.endReason = reason;
    this.queue = [];
    this.onEnd(this);
    this.resolveEnded(reason);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
