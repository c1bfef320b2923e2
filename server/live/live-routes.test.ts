import { afterEach, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { connect, type Socket } from "node:net";
import { EventSourceParserStream, type EventSourceMessage } from "eventsource-parser/stream";
import { createLiveBus, type LiveBus } from "./bus.ts";
import { liveRoutes } from "./live-routes.ts";

type Server = { url: string; port: number; bus: LiveBus; openRequests(): number; stop(): Promise<void> };
const servers: Server[] = [];

async function startServer(options: { subscriberBuffer?: number; heartbeatMs?: number } = {}): Promise<Server> {
  const bus = createLiveBus({ subscriberBuffer: options.subscriberBuffer });
  const app = new Elysia().use(liveRoutes(bus, { heartbeatMs: options.heartbeatMs })).listen({ port: 0, hostname: "127.0.0.1" });
  const server = {
    url: `http://127.0.0.1:${app.server!.port}`,
    port: app.server!.port!,
    bus,
    openRequests: () => app.server!.pendingRequests,
    stop: async () => {
      await bus.close();
      await app.stop(true);
    },
  };
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

/** Reads SSE messages from the feed, including comments, until `until` says stop. */
async function openFeed(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  return {
    response,
    abort: () => controller.abort(),
    async read(count: number, kinds = ["trace", "span"]): Promise<EventSourceMessage[]> {
      const out: EventSourceMessage[] = [];
      while (out.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        if (kinds.includes(value.event ?? "")) out.push(value);
      }
      return out;
    },
  };
}

const trace = (id: string, project = "p") => ({ id, project, name: id, status: "ok" });
const span = (id: string, traceId: string) => ({ id, span_id: id, trace_id: traceId, root_span_id: traceId });
const ids = (messages: EventSourceMessage[]) => messages.map((m) => JSON.parse(m.data).id);

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await Bun.sleep(10);
}

describe("GET /api/v1/live", () => {
  test("streams trace and span events with ids as they are published", async () => {
    const server = await startServer();
    const feed = await openFeed(`${server.url}/api/v1/live`);
    expect(feed.response.headers.get("content-type")).toContain("text/event-stream");
    server.bus.publish({ traces: [trace("t1")], spans: [span("s1", "t1")] });
    const events = await feed.read(2);
    expect(events.map((e) => e.event)).toEqual(["trace", "span"]);
    expect(ids(events)).toEqual(["t1", "s1"]);
    expect(Number(events[1]!.id)).toBe(Number(events[0]!.id) + 1);
    feed.abort();
  });

  test("?project= shows only that project's traces and spans", async () => {
    const server = await startServer();
    const feed = await openFeed(`${server.url}/api/v1/live?project=wanted`);
    server.bus.publish({ traces: [trace("a", "other"), trace("b", "wanted")], spans: [span("sa", "a"), span("sb", "b")] });
    server.bus.publish({ traces: [trace("c", "wanted")], spans: [] });
    expect(ids(await feed.read(3))).toEqual(["b", "sb", "c"]);
    feed.abort();
  });

  test("?events=trace leaves span events out", async () => {
    const server = await startServer();
    const feed = await openFeed(`${server.url}/api/v1/live?events=trace`);
    server.bus.publish({ traces: [trace("t1")], spans: [span("s1", "t1")] });
    server.bus.publish({ traces: [trace("t2")], spans: [span("s2", "t2")] });
    expect(ids(await feed.read(2))).toEqual(["t1", "t2"]);
    feed.abort();
  });

  test("a client reconnecting with Last-Event-ID gets every event it missed, once", async () => {
    const server = await startServer();
    const first = await openFeed(`${server.url}/api/v1/live`);
    for (let i = 0; i < 3; i++) server.bus.publish({ traces: [trace(`t${i}`)], spans: [] });
    const seen = await first.read(3);
    first.abort();
    for (let i = 3; i < 8; i++) server.bus.publish({ traces: [trace(`t${i}`)], spans: [] });
    const second = await openFeed(`${server.url}/api/v1/live`, { "last-event-id": seen.at(-1)!.id! });
    server.bus.publish({ traces: [trace("t8")], spans: [] });
    expect(ids(await second.read(6))).toEqual(["t3", "t4", "t5", "t6", "t7", "t8"]);
    second.abort();
  });

  test("a fresh client that drops before any event resumes from the id it was given on connect", async () => {
    const server = await startServer();
    const first = await openFeed(`${server.url}/api/v1/live`);
    const [ready] = await first.read(1, ["ready"]);
    first.abort();
    server.bus.publish({ traces: [trace("missed")], spans: [] });
    const second = await openFeed(`${server.url}/api/v1/live`, { "last-event-id": ready!.id! });
    expect(ids(await second.read(1))).toEqual(["missed"]);
    second.abort();
  });

  test("a Last-Event-ID the server no longer holds is answered with a reset event", async () => {
    const server = await startServer();
    const feed = await openFeed(`${server.url}/api/v1/live`, { "last-event-id": "12" });
    const [reset] = await feed.read(1, ["reset"]);
    expect(reset!.event).toBe("reset");
    feed.abort();
  });

  test("closing the connection frees the subscriber", async () => {
    const server = await startServer();
    const feed = await openFeed(`${server.url}/api/v1/live`);
    await feed.read(1, ["ready"]);
    expect(server.bus.subscriberCount()).toBe(1);
    feed.abort();
    await eventually(() => server.bus.subscriberCount() === 0);
    expect(server.bus.subscriberCount()).toBe(0);
  });

  test("a client that stops reading is dropped while a reading client gets every event", async () => {
    const server = await startServer({ subscriberBuffer: 20 });
    const stalled = await openFeed(`${server.url}/api/v1/live`);
    await stalled.read(1, ["ready"]);
    const reading = await openFeed(`${server.url}/api/v1/live`);
    const big = "x".repeat(64 * 1024);
    const total = 600; // ~38 MB: more than the socket buffers can hide
    let got = 0;
    const received = (async () => {
      while (got < total && (await reading.read(1)).length) got++;
      return got;
    })();
    for (let i = 0; i < total; i++) {
      // Paced by the reading client, so only the stalled one can fall behind.
      await eventually(() => got >= i - 10);
      server.bus.publish({ traces: [{ ...trace(`t${i}`), output: big }], spans: [] });
    }
    expect(await received).toBe(total);
    await eventually(() => server.bus.subscriberCount() === 1);
    expect(server.bus.subscriberCount()).toBe(1);
    reading.abort();
    stalled.abort();
  });

  test("a client that stops reading has its subscription ended and its connection closed", async () => {
    const server = await startServer({ subscriberBuffer: 20 });
    // A raw socket that reads the response headers, then never reads again: its TCP window fills.
    const stalled: Socket = connect(server.port, "127.0.0.1");
    stalled.on("error", () => {});
    const headers = new Promise<void>((resolve) => stalled.once("data", () => resolve()));
    stalled.write("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await headers;
    stalled.pause();
    expect(server.bus.subscriberCount()).toBe(1);

    const big = "x".repeat(64 * 1024);
    for (let i = 0; i < 2_000 && server.bus.subscriberCount() > 0; i++) {
      server.bus.publish({ traces: [{ ...trace(`t${i}`), output: big }], spans: [] });
      if (i % 10 === 0) await Bun.sleep(5);
    }
    expect(server.bus.subscriberCount()).toBe(0);
    // The server lets go of the connection although its client never reads again.
    for (let i = 0; i < 300 && server.openRequests() > 0; i++) await Bun.sleep(50);
    expect(server.openRequests()).toBe(0);
    stalled.destroy();
  }, 30_000);

  test("an idle feed carries heartbeat comments", async () => {
    const server = await startServer({ heartbeatMs: 30 });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/v1/live`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": heartbeat\n\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toContain(": heartbeat\n\n");
    controller.abort();
  });
});
