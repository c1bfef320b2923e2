import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { ingestSynthetic } from "./testing/synthetic-traces.ts";
import { ndjsonLines } from "./testing/ndjson-lines.ts";
import { searchIndexed } from "../../test/harness/search-indexed.ts";

let source: InProcessKalmia;
let target: InProcessKalmia;
const now = Date.now() / 1000;
const otelTrace = "5b8efff798038103d269b633813fc60c";

beforeAll(async () => {
  [source, target] = await Promise.all([startInProcess(), startInProcess()]);
  await ingestSynthetic(source.url, 300, "mixed");
  // SDK span rows: one finished run and one still running (no end yet).
  const sdk = await source.post("/api/v1/spans", {
    project: "sdk-app",
    rows: [
      { id: "sdk-root", root_span_id: "sdk-root", span_attributes: { name: "agent", type: "task" }, input: "hi", metrics: { start: now - 5 } },
      { id: "sdk-llm", root_span_id: "sdk-root", span_parents: ["sdk-root"], span_attributes: { name: "chat", type: "llm" }, metadata: { provider: "openai", model: "gpt-4o-mini" }, output: { role: "assistant", content: "hello" }, metrics: { start: now - 4, end: now - 3, prompt_tokens: 9, completion_tokens: 2 } },
      { id: "done-root", root_span_id: "done-root", span_attributes: { name: "done", type: "task" }, user_id: "u-1", session_id: "s-1", tags: ["prod"], metadata: { tenant: "acme" }, metrics: { start: now - 9, end: now - 8 } },
    ],
  });
  expect(sdk.status).toBe(200);
  // A span that came over OTLP/JSON with unknown attributes kept in metadata.
  const otel = await source.post("/api/v1/otel/v1/traces", {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "otel-app" } }] },
      scopeSpans: [{ scope: { name: "manual" }, spans: [{
        traceId: otelTrace, spanId: "eee19b7ec3c1b174", name: "chat claude",
        startTimeUnixNano: String(BigInt(Math.round((now - 2) * 1e9))), endTimeUnixNano: String(BigInt(Math.round((now - 1) * 1e9))),
        attributes: [
          { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
          { key: "gen_ai.system", value: { stringValue: "anthropic" } },
          { key: "gen_ai.request.model", value: { stringValue: "claude-sonnet-4-5" } },
          { key: "gen_ai.usage.input_tokens", value: { intValue: "12" } },
          { key: "deployment.region", value: { stringValue: "eu-west-1" } },
        ],
      }] }],
    }],
  });
  expect(otel.status).toBe(200);
});
afterAll(() => Promise.all([source.stop(), target.stop()]));

async function exported(kalmia: InProcessKalmia, query = ""): Promise<any[]> {
  const response = await fetch(`${kalmia.url}/api/v1/traces/export${query}`);
  expect(response.status).toBe(200);
  const lines: any[] = [];
  for await (const line of ndjsonLines(response)) lines.push(JSON.parse(line));
  return lines;
}

// Not the traces themselves: the experiment, the source path, and when each copy was last written.
const comparable = ({ experiment_id: _e, source: _s, updated_at: _u, ...rest }: any) => rest;

describe("GET /api/v1/traces/export", () => {
  test("is served as NDJSON, not taken for a trace with the id 'export'", async () => {
    const response = await fetch(`${source.url}/api/v1/traces/export?project=sdk-app`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("kalmia-traces-sdk-app.ndjson");
  });

  test("takes the list's filters: project, status, provider, q, and bad values are 400s", async () => {
    const errors = await exported(source, "?project=mixed&status=error");
    expect(errors).toHaveLength(30);
    const listed = await source.getJson("/api/v1/traces?project=mixed&status=error&limit=500");
    expect(errors.map((t) => t.id).sort()).toEqual(listed.traces.map((t: any) => t.id).sort());
    expect((await exported(source, "?project=mixed&provider=anthropic")).length).toBe(150);
    // q reads the values of every span's metadata (the OTLP span's unknown attribute), not its keys (otel.kind),
    // once indexed (db/write/search-indexer.ts).
    await searchIndexed(source.store);
    expect((await exported(source, "?q=otel")).length).toBe(0);
    expect((await exported(source, "?q=eu-west-1")).map((t) => t.id)).toEqual([otelTrace]);
    expect((await exported(source, "?project=nobody")).length).toBe(0);
    expect((await exported(source, "?user=u-1&session=s-1&tag=prod&metadata.tenant=acme")).map((t) => t.id)).toEqual(["done-root"]);
    const bad = await fetch(`${source.url}/api/v1/traces/export?status=weird`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/status must be one of/);
  });

  test("an export re-ingests as-is into another Kalmia and gives identical traces", async () => {
    const all = await exported(source);
    expect(all).toHaveLength(303);
    const response = await fetch(`${target.url}/api/v1/traces/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(all) });
    expect(response.status).toBe(200);
    for (const { id } of all) {
      const [a, b] = await Promise.all([source.getJson(`/api/v1/traces/${id}`), target.getJson(`/api/v1/traces/${id}`)]);
      expect(comparable(b)).toEqual(comparable(a));
    }
    const running = await target.getJson("/api/v1/traces/sdk-root");
    expect(running.status).toBe("running");
    expect(await target.getJson("/api/v1/traces/done-root")).toMatchObject({ user_id: "u-1", session_id: "s-1", tags: ["prod"], metadata: { tenant: "acme" } });
    const otel = await target.getJson(`/api/v1/traces/${otelTrace}`);
    expect(otel.project).toBe("otel-app");
    expect(otel.spans[0].metadata["deployment.region"]).toBe("eu-west-1");
    const again = await exported(target);
    expect(new Map(again.map((t) => [t.id, t]))).toEqual(new Map(all.map((t) => [t.id, t])));
  });
});
