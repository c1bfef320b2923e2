import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { flush, initLogger } from "../../src/index.ts";
import { allEnded, waitForTraces, type StoredTrace } from "./kalmia-api.ts";
import { afterAll, beforeAll } from "./runner.ts";
import { startServer, startUpstream, uniqueProject, type Running } from "./servers.ts";

export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Get weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

/**
 * The real provider clients against the fake upstream, and a real Kalmia server receiving the spans.
 * `project()` points the logger at a fresh project, so each test reads back only its own traces.
 */
export function llmFixture(options: { server?: boolean } = {}) {
  const state = {} as { upstream: Running; kalmia: Running; project: string };
  beforeAll(async () => {
    [state.upstream, state.kalmia] = await Promise.all([startUpstream(), options.server === false ? undefined! : startServer()]);
  });
  afterAll(async () => {
    await Promise.all([state.upstream?.stop(), state.kalmia?.stop()]);
  });
  return {
    openai: (options: { maxRetries?: number } = {}) =>
      new OpenAI({ baseURL: `${state.upstream.url}/v1`, apiKey: "sk-test", maxRetries: options.maxRetries ?? 0 }),
    anthropic: () => new Anthropic({ baseURL: state.upstream.url, apiKey: "sk-ant-test", maxRetries: 0 }),
    /** The Kalmia server's URL, to read its API. */
    kalmiaUrl: () => state.kalmia.url,
    /** The fake upstream's URL, for a client of the test's own making. */
    upstreamUrl: () => state.upstream.url,
    project(name: string, options: { metadata?: Record<string, unknown> } = {}): string {
      state.project = uniqueProject(name);
      initLogger({ projectName: state.project, baseUrl: state.kalmia.url, ...options });
      return state.project;
    },
    /** Flushes, then waits until the server holds `count` traces whose spans have all ended. */
    async traces(count: number): Promise<StoredTrace[]> {
      await flush({ timeoutMs: 5000 });
      return waitForTraces(state.kalmia.url, state.project, allEnded(count));
    },
  };
}
