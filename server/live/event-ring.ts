import type { LiveEvent } from "./live-event.ts";

/**
 * The most recent events, kept so a reconnecting client can resume after its
 * Last-Event-ID. Fixed capacity: the oldest event is overwritten.
 */
export class EventRing {
  private readonly slots: (LiveEvent | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array(capacity);
  }

  push(event: LiveEvent): void {
    this.slots[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Id of the oldest event still held, or null when empty. */
  oldestId(): number | null {
    if (this.size === 0) return null;
    const start = (this.next - this.size + this.capacity) % this.capacity;
    return this.slots[start]!.id;
  }

  /** Events with id > afterId, oldest first. */
  since(afterId: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (let i = 0; i < this.size; i++) {
      const event = this.slots[(this.next - this.size + i + this.capacity) % this.capacity]!;
      if (event.id > afterId) out.push(event);
    }
    return out;
  }
}
