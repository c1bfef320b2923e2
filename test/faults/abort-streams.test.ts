import { expect, test } from "bun:test";
import { startFakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { startInProcess } from "../harness/in-process.ts";
import { abortAfterFirstChunk } from "./abort-load.ts";

test("200 streamed proxy calls abandoned after the first chunk: every upstream closed, every span cancelled with its partial output", async () => {
  const upstream = await startFakeUpstream();
  const kalmia = await startInProcess({ OPENAI_BASE_URL: `${upstream.url}/v1` });
  try {
    const run = await abortAfterFirstChunk(kalmia.url, upstream, 200, "aborts");
    expect(run.upstreamClosed).toBe(200);
    let settled: any[] = [];
    for (let i = 0; i < 200 && settled.length < 200; i++) {
      const list = await kalmia.getJson(`/api/v1/traces?project=aborts&status=cancelled&limit=500`);
      settled = list.traces;
      if (settled.length < 200) await Bun.sleep(50);
    }
    expect(settled).toHaveLength(200);
    expect(new Set(settled.map((t) => t.id))).toEqual(new Set(run.traceIds));
    const sample = await kalmia.getJson(`/api/v1/traces/${run.traceIds[0]}`);
    expect(sample.spans[0].status).toBe("cancelled");
    expect(typeof sample.spans[0].output.content).toBe("string");
    expect(sample.spans[0].output.content.length).toBeGreaterThan(0);
  } finally {
    await kalmia.stop();
    await upstream.stop();
  }
}, 120_000);
