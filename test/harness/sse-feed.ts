import { EventSourceParserStream, type EventSourceMessage } from "eventsource-parser/stream";

/** A live-feed reader for tests: collects trace/span events as they come. */
export async function openFeed(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200) throw new Error(`live feed answered ${response.status}`);
  const events: EventSourceMessage[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (value.event === "trace" || value.event === "span") events.push(value);
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** Waits, bounded, until `check` holds over the events seen so far. */
    async waitFor(check: (events: EventSourceMessage[]) => boolean, timeoutMs = 10_000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (!check(events)) {
        if (Date.now() > deadline) return false;
        await Bun.sleep(20);
      }
      return true;
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}
