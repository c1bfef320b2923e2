import { describe, expect, test } from "bun:test";
import { createLiveBus } from "./bus.ts";

const trace = (id: string, project: string) => ({ id, project, name: id, status: "running" });
const span = (id: string, traceId: string) => ({ id, span_id: id, trace_id: traceId, root_span_id: traceId });

describe("live bus", () => {
  test("events carry increasing ids and reach a subscriber in order", async () => {
    const bus = createLiveBus();
    const { subscription } = bus.subscribe();
    bus.publish({ traces: [trace("t1", "a")], spans: [span("s1", "t1")] });
    bus.publish({ traces: [trace("t2", "a")], spans: [] });
    const events = (await subscription.next(1000))!;
    expect(events.map((e) => [e.kind, (e.data as { id: string }).id])).toEqual([
      ["trace", "t1"],
      ["span", "s1"],
      ["trace", "t2"],
    ]);
    expect(events[1]!.id).toBe(events[0]!.id + 1);
    expect(events[2]!.id).toBe(events[1]!.id + 1);
  });

  test("a resumed subscriber gets exactly the events after its Last-Event-ID", async () => {
    const bus = createLiveBus();
    for (let i = 0; i < 10; i++) bus.publish({ traces: [trace(`t${i}`, "a")], spans: [] });
    const first = (await bus.subscribe({ lastEventId: 0 }).subscription.next(10))!;
    const lastSeen = first[3]!.id;
    const { subscription, gap } = bus.subscribe({ lastEventId: lastSeen });
    bus.publish({ traces: [trace("t10", "a")], spans: [] });
    const resumed = (await subscription.next(1000))!;
    expect(gap).toBe(false);
    expect(resumed.map((e) => (e.data as { id: string }).id)).toEqual(["t4", "t5", "t6", "t7", "t8", "t9", "t10"]);
  });

  test("resuming from an id older than the ring reports a gap", () => {
    const bus = createLiveBus({ ringSize: 3 });
    bus.publish({ traces: [1, 2, 3, 4, 5].map((i) => trace(`t${i}`, "a")), spans: [] });
    const firstId = bus.lastEventId()! - 4;
    expect(bus.subscribe({ lastEventId: firstId }).gap).toBe(true);
    expect(bus.subscribe({ lastEventId: firstId + 1 }).gap).toBe(false);
  });

  test("a project subscriber only sees that project's traces and their spans", async () => {
    const bus = createLiveBus();
    const { subscription } = bus.subscribe({ project: "b" });
    bus.publish({ traces: [trace("ta", "a"), trace("tb", "b")], spans: [span("sa", "ta"), span("sb", "tb")] });
    const events = (await subscription.next(1000))!;
    expect(events.map((e) => (e.data as { id: string }).id)).toEqual(["tb", "sb"]);
  });

  test("a subscriber that does not keep up is dropped and the others still get everything", async () => {
    const bus = createLiveBus({ subscriberBuffer: 5 });
    const slow = bus.subscribe().subscription;
    const fast = bus.subscribe().subscription;
    const got: number[] = [];
    for (let i = 0; i < 20; i++) {
      bus.publish({ traces: [trace(`t${i}`, "a")], spans: [] });
      for (const e of (await fast.next(1000))!) got.push(e.id);
    }
    expect(slow.ended).toBe("slow");
    expect(await slow.next(10)).toBeNull();
    expect(got.length).toBe(20);
    expect(bus.subscriberCount()).toBe(1);
  });

  test("closing a subscription frees it at once", () => {
    const bus = createLiveBus();
    const { subscription } = bus.subscribe();
    expect(bus.subscriberCount()).toBe(1);
    subscription.close();
    expect(bus.subscriberCount()).toBe(0);
  });

  test("a quiet subscription resolves empty after the heartbeat interval", async () => {
    const bus = createLiveBus();
    expect(await bus.subscribe().subscription.next(5)).toEqual([]);
  });

  test("events stay wanted for a while after the last subscriber leaves, so it can resume", () => {
    const idle = createLiveBus();
    expect(idle.wantsEvents()).toBe(false);
    const bus = createLiveBus({ resumeWindowMs: 60_000 });
    const { subscription } = bus.subscribe();
    expect(bus.wantsEvents()).toBe(true);
    subscription.close();
    expect(bus.subscriberCount()).toBe(0);
    expect(bus.wantsEvents()).toBe(true);
    const brief = createLiveBus({ resumeWindowMs: 0 });
    brief.subscribe().subscription.close();
    expect(brief.wantsEvents()).toBe(false);
  });

  test("progress reaches this replica's subscribers without going through the transport", async () => {
    const sent: unknown[] = [];
    let deliver: ((change: { traces: object[]; spans: object[] }) => void) | null = null;
    const bus = createLiveBus({ transport: { start: (fn) => void (deliver = fn), send: (c) => void sent.push(c), close() {} } });
    const { subscription } = bus.subscribe({ project: "a" });
    bus.publish({ traces: [trace("t1", "a")], spans: [] });
    deliver!({ traces: [trace("t1", "a")], spans: [] });
    bus.publishProgress({ traces: [], spans: [{ ...span("s1", "t1"), status: "running", output: "Once upon" }] });
    const events = (await subscription.next(1000))!;
    expect(events.map((e) => e.kind)).toEqual(["trace", "span"]);
    expect((events[1]!.data as { output: string }).output).toBe("Once upon");
    expect(sent.length).toBe(1);
  });
});
