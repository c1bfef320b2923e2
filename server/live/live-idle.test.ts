import { afterAll, beforeAll, expect, test } from "bun:test";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { startKalmia, type RunningKalmia } from "../../test/harness/start-kalmia.ts";

let kalmia: RunningKalmia;

beforeAll(async () => {
  kalmia = await startKalmia();
}, 60_000);
afterAll(async () => {
  await kalmia?.stop();
});

test("a feed left idle past Bun's 10 s idle timeout still delivers the next event", async () => {
  const feed = new AbortController();
  const response = await fetch(`${kalmia.url}/api/v1/live?project=idle`, { signal: feed.signal });
  const events = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  expect((await events.read()).value?.event).toBe("ready");

  // Quieter than the 15 s heartbeat, and longer than Bun's default idle timeout.
  await Bun.sleep(12_000);
  const ingest = await fetch(`${kalmia.url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: "after-idle", project_id: "idle", input: "hi", output: "hello" }),
  });
  expect(ingest.ok).toBe(true);

  let received: { event?: string; data: string } | undefined;
  for (;;) {
    const { value, done } = await events.read();
    if (done) break;
    if (value.event === "trace") {
      received = value;
      break;
    }
  }
  expect(JSON.parse(received?.data ?? "{}").id).toBe("after-idle");
  feed.abort();
}, 60_000);
