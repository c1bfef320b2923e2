import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { storageBackends } from "../../test/harness/backends.ts";
import { startInProcess, type InProcessKalmia } from "../../test/harness/in-process.ts";
import { tempDir } from "../../test/harness/temp-dir.ts";

const now = Date.now() / 1000;
const nanos = (seconds: number) => String(BigInt(Math.round(seconds * 1000)) * 1_000_000n);

// The reproduction: the SDK sends the model in the start row and the usage in the end row.
const claudeStart = (id: string) => ({
  id, root_span_id: id, span_attributes: { name: "anthropic.messages.create", type: "llm" },
  metadata: { provider: "anthropic", model: "claude-sonnet-4-20250514" }, metrics: { start: now },
});
const claudeEnd = (id: string) => ({ id, root_span_id: id, metrics: { end: now + 1, prompt_tokens: 1000, completion_tokens: 100 } });

function otlpLlmSpan(traceId: string, system: string, model: string) {
  const attr = (key: string, value: object) => ({ key, value });
  return {
    resourceSpans: [{
      resource: { attributes: [attr("service.name", { stringValue: "otel-priced" })] },
      scopeSpans: [{ scope: { name: "t" }, spans: [{
        traceId, spanId: traceId.slice(0, 16), name: `chat ${model}`, kind: 3,
        startTimeUnixNano: nanos(now), endTimeUnixNano: nanos(now + 1),
        attributes: [
          attr("gen_ai.operation.name", { stringValue: "chat" }),
          attr("gen_ai.system", { stringValue: system }),
          attr("gen_ai.request.model", { stringValue: model }),
          attr("gen_ai.usage.input_tokens", { intValue: "1000" }),
          attr("gen_ai.usage.output_tokens", { intValue: "100" }),
        ],
      }] }],
    }],
  };
}

for (const backend of storageBackends()) {
  describe(`pricing on ${backend.name}`, () => {
    let kalmia: InProcessKalmia;
    let cleanup: () => Promise<void>;
    const trace = (id: string) => kalmia.getJson(`/api/v1/traces/${encodeURIComponent(id)}`);
    const spans = async (rows: object[], project = "priced") => {
      const response = await kalmia.post("/api/v1/spans", { project, rows });
      expect(response.status).toBe(200);
    };

    beforeAll(async () => {
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      kalmia = await startInProcess(prepared.env);
    });
    afterAll(async () => {
      await kalmia.stop();
      await cleanup();
    });

    test("an SDK call's start row (model) and end row (usage), sent together, cost $0.0045 on the span and the trace", async () => {
      await spans([claudeStart("sdk-one-request"), claudeEnd("sdk-one-request")]);
      const t = await trace("sdk-one-request");
      expect(t.spans[0].metrics.cost_usd).toBeCloseTo(0.0045, 9);
      expect(t.cost_usd).toBeCloseTo(0.0045, 9);
    });

    test("the same rows in two requests are priced against the stored start row", async () => {
      await spans([claudeStart("sdk-two-requests")]);
      expect((await trace("sdk-two-requests")).cost_usd).toBeNull();
      await spans([claudeEnd("sdk-two-requests")]);
      const t = await trace("sdk-two-requests");
      expect(t.spans[0].metrics.cost_usd).toBeCloseTo(0.0045, 9);
      expect(t.cost_usd).toBeCloseTo(0.0045, 9);
      expect(t.model_family).toBe("claude-sonnet-4");
    });

    test("usage first, model later, is priced too; a later model re-prices it, an unknown one makes it unpriced", async () => {
      const id = "usage-then-model";
      await spans([claudeEnd(id)]);
      await spans([{ ...claudeStart(id), metrics: undefined }]);
      expect((await trace(id)).cost_usd).toBeCloseTo(0.0045, 9);
      await spans([{ id, root_span_id: id, metadata: { provider: "openai", model: "gpt-4o-2024-08-06" } }]);
      // gpt-4o: $2.50 / $10 per million.
      expect((await trace(id)).cost_usd).toBeCloseTo(0.0035, 9);
      await spans([{ id, root_span_id: id, metadata: { model: "our-own-model-v7" } }]);
      const t = await trace(id);
      expect(t.cost_usd).toBeNull();
      expect(t.spans[0].metrics.cost_usd).toBeNull();
      expect(t.total_tokens).toBe(1100);
    });

    test("a row that changes neither model nor usage keeps the span's cost", async () => {
      await spans([claudeStart("kept"), claudeEnd("kept")]);
      await spans([{ id: "kept", root_span_id: "kept", output: "a later output", metrics: { end: now + 2 } }]);
      expect((await trace("kept")).cost_usd).toBeCloseTo(0.0045, 9);
    });

    test("a cost the rows give wins over the price table", async () => {
      await spans([claudeStart("given")]);
      await spans([{ ...claudeEnd("given"), metrics: { ...claudeEnd("given").metrics, cost_usd: 0.42 } }]);
      expect((await trace("given")).cost_usd).toBe(0.42);
    });

    test("an unpriced model has a null cost, never 0", async () => {
      await spans([{ ...claudeStart("unpriced"), metadata: { provider: "acme", model: "acme-large-2" } }, claudeEnd("unpriced")]);
      const t = await trace("unpriced");
      expect(t.cost_usd).toBeNull();
      expect(t.spans[0].metrics.cost_usd).toBeNull();
      expect(t.model_family).toBe("acme-large-2");
    });

    // provider, model, price of 1000 prompt + 100 completion tokens (from the library's data)
    const calls: [string, string, number][] = [
      ["google", "gemini-2.5-flash", 0.00055],
      ["mistral", "mistral-large-latest", 0.0026],
      ["deepseek", "deepseek-chat", 0.00038],
      ["xai", "grok-3", 0.0045],
    ];
    // DeepSeek bills half from 16:30 to 00:30 UTC: a call is priced at the rate of its own start time.
    const priceAt = (model: string, price: number, start: string) => {
      const at = new Date(start);
      const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
      return model === "deepseek-chat" && (minute >= 16 * 60 + 30 || minute < 30) ? price / 2 : price;
    };

    test("Gemini, Mistral, DeepSeek and Grok calls sent over ingest are priced", async () => {
      const response = await kalmia.post("/api/v1/traces/ingest", calls.map(([provider, model]) => ({
        id: `ingest-${model}`, project_id: "vendors",
        spans: [{ id: "s1", span_id: "s1", root_span_id: "s1", span_attributes: { type: "llm" },
          metadata: { provider, model }, metrics: { start: now, end: now + 1, prompt_tokens: 1000, completion_tokens: 100 } }],
      })));
      expect(response.status).toBe(200);
      for (const [, model, price] of calls) {
        const priced = await trace(`ingest-${model}`);
        expect(priced.cost_usd).toBeCloseTo(priceAt(model, price, priced.start_time), 9);
      }
    });

    test("Gemini, Mistral, DeepSeek and Grok calls sent over OTLP are priced", async () => {
      const systems: Record<string, string> = { google: "gcp.gemini", mistral: "mistral_ai", deepseek: "deepseek", xai: "xai" };
      for (const [i, [provider, model, price]] of calls.entries()) {
        const traceId = `${backend.name === "pglite" ? "a" : "b"}${i + 1}`.padEnd(32, "7");
        const response = await kalmia.post("/api/v1/otel/v1/traces", otlpLlmSpan(traceId, systems[provider]!, model));
        expect(response.status, await response.clone().text()).toBe(200);
        const priced = await trace(traceId);
        expect(priced.cost_usd).toBeCloseTo(priceAt(model, price, priced.start_time), 9);
      }
    });

    test("model=gpt-4o finds calls stored as gpt-4o-2024-08-06 and as gpt-4o; model=claude finds the claude models; facets count families", async () => {
      const llm = (id: string, provider: string, model: string) => ({
        id, root_span_id: id, span_attributes: { type: "llm" }, metadata: { provider, model },
        metrics: { start: now, end: now + 1, prompt_tokens: 10, completion_tokens: 10 },
      });
      await spans([
        llm("ok-call", "openai", "gpt-4o-2024-08-06"),
        llm("failed-call", "openai", "gpt-4o"),
        llm("mini-call", "openai", "gpt-4o-mini-2024-07-18"),
        llm("sonnet-call", "anthropic", "claude-sonnet-4-20250514"),
        llm("haiku-call", "anthropic", "claude-3-5-haiku-latest"),
      ], "families");
      const ids = async (model: string) =>
        ((await kalmia.getJson(`/api/v1/traces?project=families&model=${model}`)).traces as { id: string }[]).map((t) => t.id).sort();
      expect(await ids("gpt-4o")).toEqual(["failed-call", "ok-call"]);
      expect(await ids("gpt-4o-2024-08-06")).toEqual(["ok-call"]);
      expect(await ids("claude")).toEqual(["haiku-call", "sonnet-call"]);
      expect(await ids("claude-sonnet-4")).toEqual(["sonnet-call"]);
      expect(await ids("gpt")).toEqual(["failed-call", "mini-call", "ok-call"]);

      const facets = await kalmia.getJson("/api/v1/facets?project=families");
      expect({ providers: facets.providers, models: facets.models }).toEqual({
        providers: [{ value: "openai", count: 3 }, { value: "anthropic", count: 2 }],
        models: [
          { value: "gpt-4o", count: 2 },
          { value: "claude-3-5-haiku", count: 1 },
          { value: "claude-sonnet-4", count: 1 },
          { value: "gpt-4o-mini", count: 1 },
        ],
      });
      const future = new Date(Date.now() + 3600_000).toISOString();
      expect(await kalmia.getJson(`/api/v1/facets?project=families&since=${future}`)).toEqual({ providers: [], models: [], users: [], tags: [], metadata_keys: [], scores: [] });
      expect(await kalmia.getJson("/api/v1/facets?project=no-such-project")).toEqual({ providers: [], models: [], users: [], tags: [], metadata_keys: [], scores: [] });
    });

    test("facets refuse a bad window with a 400 naming the parameter", async () => {
      for (const [query, name] of [["since=yesterday", "since"], ["until=99999999999999", "until"], [`project=${"p".repeat(2000)}`, "project"]]) {
        const response = await fetch(`${kalmia.url}/api/v1/facets?${query}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as any).error.message).toStartWith(`${name} `);
      }
    });
  });
}

for (const backend of storageBackends()) describe(`KALMIA_PRICES on ${backend.name}`, () => {
  let kalmia: InProcessKalmia;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    const file = join(tempDir(), "prices.json");
    writeFileSync(file, JSON.stringify({
      models: {
        // A negotiated price for a public model: covers its dated snapshots too.
        "gpt-4o": { input_mtok: 1, output_mtok: 2 },
        // A model of one's own.
        "acme-large-2": { provider: "acme", input_mtok: 10, output_mtok: 20, cache_read_mtok: 1, family: "acme-large" },
      },
    }));
    // On Postgres the writer's own thread reads the file.
    kalmia = await startInProcess({ ...prepared.env, KALMIA_PRICES: file });
  });
  afterAll(async () => {
    await kalmia.stop();
    await cleanup();
  });

  const call = (id: string, provider: string, model: string, metrics: object = {}) =>
    kalmia.post("/api/v1/spans", { project: "local-prices", rows: [{
      id, root_span_id: id, span_attributes: { type: "llm" }, metadata: { provider, model },
      metrics: { start: now, end: now + 1, prompt_tokens: 1000, completion_tokens: 100, ...metrics },
    }] });

  test("a local price overrides the bundled one, for the model and its snapshots", async () => {
    await call("override", "openai", "gpt-4o-2024-08-06");
    expect((await kalmia.getJson("/api/v1/traces/override")).cost_usd).toBeCloseTo(0.0012, 9);
  });

  test("a local model is priced, its cached prompt tokens at its cache price", async () => {
    await call("added", "acme", "acme-large-2", { prompt_cached_tokens: 500 });
    // 500 fresh × $10 + 500 cached × $1 + 100 × $20, per million.
    expect((await kalmia.getJson("/api/v1/traces/added")).cost_usd).toBeCloseTo(0.0055 + 0.002, 9);
  });

  test("models the file does not name keep the bundled prices", async () => {
    await call("bundled", "anthropic", "claude-sonnet-4-20250514");
    expect((await kalmia.getJson("/api/v1/traces/bundled")).cost_usd).toBeCloseTo(0.0045, 9);
  });
});

test("a KALMIA_PRICES file that is not valid stops the start, naming the fault", async () => {
  const file = join(tempDir(), "prices.json");
  writeFileSync(file, JSON.stringify({ models: { "gpt-4o": { input_mtok: "cheap", output_mtok: 2 } } }));
  await expect(startInProcess({ KALMIA_PRICES: file })).rejects.toThrow("models.gpt-4o.input_mtok must be a number");
});

test("the facets, like every /api route, need an API key once keys are set", async () => {
  const kalmia = await startInProcess({ KALMIA_API_KEYS: "facet-key" });
  try {
    expect((await fetch(`${kalmia.url}/api/v1/facets`)).status).toBe(401);
    const response = await fetch(`${kalmia.url}/api/v1/facets`, { headers: { authorization: "Bearer facet-key" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ providers: [], models: [], users: [], tags: [], metadata_keys: [], scores: [] });
  } finally {
    await kalmia.stop();
  }
});
