import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

// The docs' example, verbatim but for the host (../shared/seed/kalmia-docs.txt).
const DOCS_CURL = `curl -X POST http://localhost:3000/api/v1/traces/ingest \\
-H "Content-Type: application/json" \\
-d '[{
"id": "trace-1",
"project_id": "my-project",
"input": [{"role": "user", "content": "Hello"}],
"output": "Hi there!",
"metadata": {"provider": "openai", "model": "gpt-4o"},
"spans": [{
"id": "span-1",
"span_id": "span-1",
"root_span_id": "span-1",
"name": "openai chat",
"input": [{"role": "user", "content": "Hello"}],
"output": "Hi there!",
"span_attributes": {"type": "llm"},
"metrics": {"prompt_tokens": 10, "completion_tokens": 5}
}]
}]'`;

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

async function runDocsCurl() {
  const command = DOCS_CURL.replace("http://localhost:3000", kalmia.url);
  const proc = Bun.spawn(["bash", "-c", command], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  return JSON.parse(out);
}

describe("the docs' curl ingestion example", () => {
  test("stores a trace that the list returns with its span, in one experiment", async () => {
    expect(await runDocsCurl()).toEqual({ accepted: 1 });
    const list = await kalmia.getJson("/api/v1/traces?project=my-project");
    expect(list.traces).toHaveLength(1);
    const [trace] = list.traces;
    expect(trace).toMatchObject({
      id: "trace-1",
      project: "my-project",
      source: "ingest",
      provider: "openai",
      model: "gpt-4o",
      status: "ok",
      output: "Hi there!",
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      span_count: 1,
    });
    const full = await kalmia.getJson("/api/v1/traces/trace-1");
    expect(full.spans).toHaveLength(1);
    expect(full.spans[0]).toMatchObject({ id: "span-1", name: "openai chat", type: "llm", output: "Hi there!" });
    const { experiments } = await kalmia.getJson("/api/experiments");
    expect(experiments.filter((e: any) => e.project === "my-project")).toHaveLength(1);
  });

  test("sent again, it still leaves one trace, one span and one experiment", async () => {
    await runDocsCurl();
    await runDocsCurl();
    const list = await kalmia.getJson("/api/v1/traces?project=my-project");
    expect(list.traces).toHaveLength(1);
    expect(list.traces[0].span_count).toBe(1);
    const { experiments } = await kalmia.getJson("/api/experiments");
    expect(experiments.filter((e: any) => e.project === "my-project")).toHaveLength(1);
  });

  test("the provider filter of the docs finds it and excludes other providers", async () => {
    expect((await kalmia.getJson("/api/v1/traces?provider=openai")).traces.map((t: any) => t.id)).toContain("trace-1");
    expect((await kalmia.getJson("/api/v1/traces?provider=anthropic")).traces.map((t: any) => t.id)).not.toContain("trace-1");
  });
});

describe("ingestion of several traces", () => {
  test("a single object (not an array) is accepted", async () => {
    const response = await kalmia.post("/api/v1/traces/ingest", { id: "single", project_id: "solo", output: "x" });
    expect(response.status).toBe(200);
    expect((await kalmia.getJson("/api/v1/traces/single")).output).toBe("x");
  });

  test("a trace without spans keeps the provider and model of its metadata", async () => {
    await kalmia.post("/api/v1/traces/ingest", { id: "bare", project_id: "solo", metadata: { provider: "anthropic", model: "claude-3-5-haiku" } });
    expect(await kalmia.getJson("/api/v1/traces/bare")).toMatchObject({ provider: "anthropic", model: "claude-3-5-haiku", status: "ok" });
  });

  test("a trace's own start time is kept, as ISO 8601 or Unix seconds", async () => {
    await kalmia.post("/api/v1/traces/ingest", [
      { id: "dated-iso", project_id: "solo", start_time: "2026-11-01T10:00:00.000Z" },
      { id: "dated-unix", project_id: "solo", metrics: { start: 1_761_991_200 } },
    ]);
    expect((await kalmia.getJson("/api/v1/traces/dated-iso")).start_time).toBe("2026-11-01T10:00:00.000Z");
    expect((await kalmia.getJson("/api/v1/traces/dated-unix")).start_time).toBe("2025-11-01T10:00:00.000Z");
    const bad = await kalmia.post("/api/v1/traces/ingest", { id: "dated-bad", start_time: "last tuesday" });
    expect(((await bad.json()) as any).errors[0].path).toBe("$.start_time");
  });

  test("100 concurrent first ingests for a new project make exactly one experiment", async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        kalmia.post("/api/v1/traces/ingest", { id: `crowd-${i}`, project_id: "crowd", output: i }),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const { experiments } = await kalmia.getJson("/api/experiments");
    const crowd = experiments.filter((e: any) => e.project === "crowd");
    expect(crowd).toHaveLength(1);
    expect(crowd[0].trace_count).toBe(100);
  });
});
