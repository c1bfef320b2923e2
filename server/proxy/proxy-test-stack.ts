// Test support: a real Kalmia (in-process, real PGlite) in front of the fake upstream.
import { loadConfig } from "../config.ts";
import { startServer } from "../start.ts";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { startFakeUpstream, type FakeUpstream } from "../../test/fake-upstream/start-fake-upstream.ts";

export type ProxyStack = {
  upstream: FakeUpstream;
  kalmia: Awaited<ReturnType<typeof startServer>>;
  /** Base URL for OpenAI clients through the proxy, as the docs write it. */
  proxyUrl: string;
  /** A stored trace once its spans have ended (polls the public API; a recorded call ends in the background). */
  finishedTrace(id: string): Promise<any>;
  stop(): Promise<void>;
};

export async function startProxyStack(env: Record<string, string> = {}): Promise<ProxyStack> {
  const upstream = await startFakeUpstream();
  const config = loadConfig({ PORT: "0", KALMIA_DATA_DIR: tempDir(), OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_BASE_URL: upstream.url, ...env });
  const kalmia = await startServer(config);
  return {
    upstream,
    kalmia,
    proxyUrl: `${kalmia.url}/api/v1`,
    finishedTrace: (id) => finishedTrace(kalmia.url, id),
    async stop() {
      await kalmia.stop();
      await upstream.stop();
    },
  };
}

/** Polls GET /api/v1/traces/:id until every span has ended (recording happens after the answer). */
export async function finishedTrace(kalmiaUrl: string, id: string): Promise<any> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${kalmiaUrl}/api/v1/traces/${id}`);
    if (response.ok) {
      const trace: any = await response.json();
      if (trace.spans.length && trace.spans.every((span: any) => span.status !== "running")) return trace;
    }
    await Bun.sleep(25);
  }
  throw new Error(`trace ${id} did not finish`);
}
