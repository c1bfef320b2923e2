import { fakeUpstreamHandler } from "./handler.ts";
import { RequestLog, type RecordedRequest } from "./request-log.ts";

export type FakeUpstream = {
  /** `http://127.0.0.1:PORT`; OpenAI clients use `${url}/v1`, Anthropic clients `url` itself. */
  url: string;
  /** Requests received so far, oldest first (the last 200). */
  requests(): RecordedRequest[];
  lastRequest(): RecordedRequest | undefined;
  clearRequests(): void;
  stop(): Promise<void>;
};

/**
 * Starts the fake OpenAI + Anthropic upstream on a free port (or `port`).
 *
 * @example
 * const upstream = await startFakeUpstream();
 * const openai = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
 */
export async function startFakeUpstream(options: { port?: number } = {}): Promise<FakeUpstream> {
  const log = new RequestLog();
  // idleTimeout 0: slow and stalled scenarios may keep a socket quiet for longer than Bun's 10 s default.
  const server = Bun.serve({ hostname: "127.0.0.1", port: options.port ?? 0, idleTimeout: 0, fetch: fakeUpstreamHandler(log) });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests: () => log.all(),
    lastRequest: () => log.last(),
    clearRequests: () => log.clear(),
    stop: () => server.stop(true),
  };
}
