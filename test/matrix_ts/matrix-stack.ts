// The client matrix's paths for the npm clients: through Kalmia's proxy, wrapped by @kalmia/sdk (the
// packed tarball as installed: packed-sdk.ts), or exporting OpenTelemetry (the AI SDK's own integration)
// to Kalmia's OTLP endpoint; and `direct`, the same client against the fake provider with nothing
// between, to compare what the caller receives.
import { expect } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { flush, initLogger, wrapAnthropic, wrapOpenAI } from "./packed-sdk.ts";
import { loadConfig } from "../../server/config.ts";
import { startServer } from "../../server/start.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";

export const KEY = "kal-matrix-ts-key";
export const ANSWER = "Hello! This is the fake upstream, answering deterministically.";
export const SYSTEM = "You are a terse weather assistant.";
export const FINAL = "Based on the tool results";

// Every path's spans are priced: the SDK writes a start row (model) and an end row (usage), and the
// server prices a span once its rows have merged (db/write/span-pricing.ts).
export const PRICED_PATHS = new Set<PathName>(["proxy", "otel", "sdk"]);

export type PathName = "proxy" | "sdk" | "otel";
export type MatrixStack = { upstream: FakeUpstream; kalmiaUrl: string; stop(): Promise<void> };

/** The fake provider and an in-process Kalmia; with API keys on unless `keys` is false (the docs' examples assume none). */
export async function startMatrixStack(options: { keys?: boolean } = {}): Promise<MatrixStack> {
  const upstream = await startFakeUpstream();
  const keys = options.keys === false ? "" : KEY;
  const config = loadConfig({ PORT: "0", KALMIA_DATA_DIR: tempDir(), KALMIA_API_KEYS: keys, OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_BASE_URL: upstream.url });
  const kalmia = await startServer(config);
  return {
    upstream,
    kalmiaUrl: kalmia.url,
    async stop() {
      await kalmia.stop();
      await upstream.stop();
    },
  };
}

let counter = 0;

/** One cell's view of a path: its own project, its clients, and the spans it stored. */
export class MatrixPath {
  readonly project: string;
  constructor(
    readonly name: PathName,
    readonly stack: MatrixStack,
    cell: string,
  ) {
    this.project = `m-${cell}-${name}-${++counter}-${crypto.randomUUID().slice(0, 6)}`;
    if (name === "sdk") initLogger({ projectName: this.project, baseUrl: stack.kalmiaUrl, apiKey: KEY });
  }

  headers(): Record<string, string> {
    return this.name === "proxy" ? { "x-kalmia-project": this.project, "x-kalmia-api-key": KEY } : {};
  }

  openaiBase(): string {
    return this.name === "proxy" ? `${this.stack.kalmiaUrl}/api/v1` : `${this.stack.upstream.url}/v1`;
  }

  anthropicBase(): string {
    return this.name === "proxy" ? `${this.stack.kalmiaUrl}/api/v1` : this.stack.upstream.url;
  }

  openai(): OpenAI {
    const client = new OpenAI({ baseURL: this.openaiBase(), apiKey: "sk-test", maxRetries: 0, defaultHeaders: this.headers() });
    return this.name === "sdk" ? wrapOpenAI(client) : client;
  }

  anthropic(): Anthropic {
    const client = new Anthropic({ baseURL: this.anthropicBase(), apiKey: "sk-ant-test", maxRetries: 0, defaultHeaders: this.headers() });
    return this.name === "sdk" ? wrapAnthropic(client) : client;
  }

  /** The llm spans of the cell's finished traces, oldest first. */
  async llmSpans(count = 1, spansPerTrace = 1): Promise<any[]> {
    if (this.name === "sdk") await flush({ timeoutMs: 10_000 });
    const traces = await finishedTraces(this.stack.kalmiaUrl, this.project, this.name === "otel" ? 1 : count, spansPerTrace);
    const spans = traces.flatMap((trace) => trace.spans).filter((span: any) => span.type === "llm");
    expect(spans.length).toBeGreaterThanOrEqual(count);
    return spans.sort((a: any, b: any) => a.metrics.start - b.metrics.start);
  }
}

export const directOpenAI = (stack: MatrixStack) => new OpenAI({ baseURL: `${stack.upstream.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
export const directAnthropic = (stack: MatrixStack) => new Anthropic({ baseURL: stack.upstream.url, apiKey: "sk-ant-test", maxRetries: 0 });

export async function getJson(kalmiaUrl: string, path: string): Promise<any> {
  const response = await fetch(`${kalmiaUrl}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** The project's traces once `count` are stored with every span ended (a call is recorded after its answer). */
export async function finishedTraces(kalmiaUrl: string, project: string, count: number, spans = 1): Promise<any[]> {
  let listed: any[] = [];
  for (let attempt = 0; attempt < 400; attempt++) {
    listed = (await getJson(kalmiaUrl, `/api/v1/traces?project=${project}&limit=100`)).traces;
    if (listed.length >= count && listed.every((t) => t.status !== "running" && t.span_count >= spans)) break;
    await Bun.sleep(25);
  }
  return Promise.all(listed.map((t) => getJson(kalmiaUrl, `/api/v1/traces/${t.id}`)));
}

export type Gap = "output" | "tokens" | "ttft";

/** What every llm span of a successful call must hold, whichever client and path made it. */
export function checkLlmSpan(
  span: any,
  path: PathName,
  expected: { model: string; provider: string; system?: string | null; text?: string | null; tool?: string | null; streamed?: boolean; completionTokens?: boolean; gaps?: Gap[] },
) {
  const { model, provider, system = SYSTEM, text = ANSWER, tool = null, streamed = false, completionTokens = true, gaps = [] } = expected;
  expect(span.status).toBe("ok");
  expect(span.metadata.provider).toBe(provider);
  expect(String(span.metadata.model)).toStartWith(model);
  if (system) expect(JSON.stringify(span.input)).toContain(system);
  const stored = JSON.stringify(span.output);
  if (text && !gaps.includes("output")) expect(stored).toContain(text);
  if (tool && !gaps.includes("output")) {
    expect(stored).toContain(tool);
    expect(stored).toContain("Tokyo");
  }
  if (!gaps.includes("tokens")) {
    expect(span.metrics.prompt_tokens).toBeGreaterThan(0);
    if (completionTokens) expect(span.metrics.completion_tokens).toBeGreaterThan(0);
    if (PRICED_PATHS.has(path)) expect(span.metrics.cost_usd).toBeGreaterThan(0);
  }
  if (streamed && !gaps.includes("ttft")) expect(span.metrics.time_to_first_token).toBeGreaterThan(0);
}

export function checkErrorSpan(span: any, message: string) {
  expect(span.status).toBe("error");
  expect(JSON.stringify(span.error).toLowerCase()).toContain(message.toLowerCase());
}

/** What a failing call raised, as the caller sees it (request ids are unique per request, like the real APIs'). */
export async function failure(call: () => Promise<unknown>): Promise<{ type: string; status: unknown; error: unknown } | null> {
  try {
    await call();
    return null;
  } catch (error: any) {
    const { request_id: _, ...body } = error?.error ?? {};
    return { type: error?.constructor?.name, status: error?.status, error: body };
  }
}

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
