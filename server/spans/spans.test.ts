import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";

let kalmia: InProcessKalmia;
beforeAll(async () => {
  kalmia = await startInProcess();
});
afterAll(() => kalmia.stop());

const now = Date.now() / 1000;

test("an agent run sent as start and end rows becomes one trace with its summary", async () => {
  const root = { id: "run-1", root_span_id: "run-1", span_attributes: { name: "weather-agent", type: "task" } };
  const llm = {
    id: "llm-1",
    root_span_id: "run-1",
    span_parents: ["run-1"],
    span_attributes: { name: "anthropic.messages.create", type: "llm" },
    metadata: { provider: "anthropic", model: "claude-sonnet-4-20250514" },
  };
  const tool = { id: "tool-1", root_span_id: "run-1", span_parents: ["run-1"], span_attributes: { name: "get_weather", type: "tool" } };
  await kalmia.post("/api/v1/spans", { project: "agents", rows: [{ ...root, input: "weather?", metrics: { start: now } }] });
  let trace = await kalmia.getJson("/api/v1/traces/run-1");
  expect(trace.status).toBe("running");

  const response = await kalmia.post("/api/v1/spans", {
    project: "agents",
    rows: [
      { ...llm, input: [{ role: "user", content: "weather?" }], metrics: { start: now + 0.1 } },
      { ...llm, output: { role: "assistant", content: "calling" }, metrics: { end: now + 1, prompt_tokens: 1000, completion_tokens: 100 } },
      { ...tool, input: { city: "Tokyo" }, output: { temp: 21 }, metrics: { start: now + 1.1, end: now + 1.2 } },
      { ...root, output: "sunny", metrics: { end: now + 2 } },
    ],
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accepted: 4 });

  trace = await kalmia.getJson("/api/v1/traces/run-1");
  expect(trace).toMatchObject({
    project: "agents",
    source: "sdk",
    name: "weather-agent",
    status: "ok",
    input: "weather?",
    output: "sunny",
    provider: "anthropic",
    model: "claude-sonnet-4-20250514",
    prompt_tokens: 1000,
    completion_tokens: 100,
    total_tokens: 1100,
    span_count: 3,
  });
  expect(trace.duration_ms).toBeCloseTo(2000, -1);
  // claude-sonnet-4: $3 / $15 per million tokens.
  expect(trace.cost_usd).toBeCloseTo(0.003 + 0.0015, 6);
  expect(trace.spans.map((s: any) => s.type)).toEqual(["task", "llm", "tool"]);
});

test("a model missing from the price table gets a null cost, not zero", async () => {
  await kalmia.post("/api/v1/spans", {
    project: "agents",
    rows: [{
      id: "odd-model", root_span_id: "odd-model", span_attributes: { type: "llm" },
      metadata: { provider: "openai", model: "my-private-finetune" },
      metrics: { start: now, end: now + 1, prompt_tokens: 10, completion_tokens: 10 },
    }],
  });
  const trace = await kalmia.getJson("/api/v1/traces/odd-model");
  expect(trace.total_tokens).toBe(20);
  expect(trace.cost_usd).toBeNull();
});

test("a failed step is counted on its trace, whose status stays its root's; a failed root fails the trace", async () => {
  await kalmia.post("/api/v1/spans", [
    { id: "e-root", root_span_id: "e-root", metrics: { start: now, end: now + 1 } },
    { id: "e-tool", root_span_id: "e-root", span_parents: ["e-root"], span_attributes: { type: "tool" }, error: "tool exploded", metrics: { start: now, end: now + 0.5 } },
    { id: "f-root", root_span_id: "f-root", error: "gave up", metrics: { start: now, end: now + 1 } },
  ]);
  const trace = await kalmia.getJson("/api/v1/traces/e-root");
  expect(trace).toMatchObject({ status: "ok", error_count: 1, project: "default" });
  const ids = async (query: string) => (await kalmia.getJson(`/api/v1/traces?${query}`)).traces.map((t: any) => t.id);
  expect(await ids("status=error")).toContain("f-root");
  expect(await ids("status=error")).not.toContain("e-root");
  expect(await ids("has_errors=true")).toEqual(expect.arrayContaining(["e-root", "f-root"]));
});
