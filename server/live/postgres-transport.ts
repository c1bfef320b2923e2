import type postgres from "postgres";
import { describeError } from "../../db/write/error-kind.ts";
import { LIVE_CHANNEL, liveEventsAfter, newestLiveEventId, pruneLiveEvents, spansByIds } from "../../db/write/live-events.ts";
import type { Store } from "../../db/store.ts";
import { spanView } from "../../db/query/views.ts";
import type { LiveChange, LiveTransport } from "./transport.ts";

// Ids commit in order (db/write/live-events.ts), so a hole should never be seen;
// should one ever be, it is waited for this long before being passed over.
const HOLE_WAIT_MS = 30_000;
const PRUNE_EVERY_MS = 60_000;
const KEEP_EVENTS_MS = 10 * 60_000;

export type PostgresTransportOptions = {
  client: postgres.Sql;
  store: Store;
  /** Whether anyone on this replica would see the events; if not, they are skipped cheaply. */
  wanted: () => boolean;
  log?: (message: string) => void;
};

/**
 * Carries changes between replicas on one Postgres. Commits log themselves
 * (db/write/live-events.ts) and NOTIFY; every replica LISTENs and reads the log in
 * id order, from where it left off — also after its LISTEN connection was
 * lost and re-established — so no replica misses or reorders an event.
 */
export function createPostgresTransport(options: PostgresTransportOptions): LiveTransport {
  const { store } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  let deliver: ((change: LiveChange) => void) | null = null;
  let lastSeen = 0;
  let holeSince: number | null = null;
  let pumping = false;
  let again = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let listener: { unlisten(): Promise<void> } | null = null;
  let pruner: ReturnType<typeof setInterval> | null = null;

  async function catchUp(): Promise<void> {
    for (;;) {
      const events = await liveEventsAfter(store.db, lastSeen, 200);
      if (events.length === 0) return;
      for (const event of events) {
        if (event.id !== lastSeen + 1) {
          holeSince ??= Date.now();
          if (Date.now() - holeSince < HOLE_WAIT_MS) {
            retry ??= setTimeout(() => ((retry = null), void pump()), 100);
            return;
          }
          log(`kalmia: live feed passed over missing events ${lastSeen + 1}..${event.id - 1}`);
        }
        holeSince = null;
        lastSeen = event.id;
        if (deliver && options.wanted()) {
          const [traces, spans] = await Promise.all([store.tracesByIds(event.traceIds), spansByIds(store.db, event.traceIds, event.spanIds)]);
          deliver({ traces, spans: spans.map(spanView) });
        }
      }
    }
  }

  /**
   * A NOTIFY names its event's id. Ids commit in order, so every event up to it is committed: with
   * nobody on this replica watching, they are passed over without reading the log, which saves a
   * query per commit on every replica. A reconnect (no id) always reads.
   */
  function notified(payload: string): void {
    const id = Number(payload);
    if (!pumping && !options.wanted() && holeSince === null && Number.isSafeInteger(id) && id > lastSeen) {
      lastSeen = id;
      return;
    }
    void pump();
  }

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        await catchUp();
      } while (again);
    } catch (error) {
      log(`kalmia: live feed catch-up failed, retrying (${describeError(error)})`);
      retry ??= setTimeout(() => ((retry = null), void pump()), 1_000);
    } finally {
      pumping = false;
    }
  }

  return {
    async start(fn) {
      deliver = fn;
      lastSeen = await newestLiveEventId(store.db);
      // postgres.js re-LISTENs after a lost connection and calls the second
      // callback each time: that is when events may have been missed.
      listener = await options.client.listen(LIVE_CHANNEL, notified, () => void pump());
      pruner = setInterval(() => void pruneLiveEvents(store.db, KEEP_EVENTS_MS).catch(() => {}), PRUNE_EVERY_MS);
      pruner.unref?.();
    },
    send() {
      // Nothing to send: the commit logged the event and notified every replica.
    },
    async close() {
      deliver = null;
      if (retry) clearTimeout(retry);
      if (pruner) clearInterval(pruner);
      await listener?.unlisten().catch(() => {});
    },
  };
}
