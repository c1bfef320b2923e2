/**
 * Proxied calls at a given concurrency, half streamed, each compared with the
 * same call made straight to the fake upstream: the fault suite's measure of
 * "the caller never notices Kalmia's storage".
 */
export type LoadResult = { calls: number; failed: number; altered: number; errors: string[] };

function body(i: number) {
  return JSON.stringify({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `fault call ${i}` }],
    stream: i % 2 === 1,
  });
}

async function call(base: string, i: number, headers: Record<string, string>) {
  const response = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-fault-test", ...headers },
    body: body(i),
  });
  return { status: response.status, text: await response.text() };
}

// The fake's streams carry the same bytes for the same request, but each
// response has its own request id in headers only, so bodies compare whole.
export async function proxyLoad(options: {
  kalmiaUrl: string;
  upstreamUrl: string;
  calls: number;
  concurrency: number;
  project: string;
  /** Upstream latency per call, so the load lasts long enough to straddle an outage. */
  latencyMs?: number;
  extraHeaders?: Record<string, string>;
}): Promise<LoadResult> {
  const paced: Record<string, string> = options.latencyMs ? { "x-fake-latency-ms": String(options.latencyMs) } : {};
  const result: LoadResult = { calls: 0, failed: 0, altered: 0, errors: [] };
  let next = 0;
  const worker = async () => {
    while (next < options.calls) {
      const i = next++;
      const [proxied, direct] = await Promise.all([
        call(`${options.kalmiaUrl}/api/v1`, i, { ...paced, "x-kalmia-project": options.project, ...options.extraHeaders }).catch(
          (error: Error) => ({ status: 0, text: error.message }),
        ),
        call(`${options.upstreamUrl}/v1`, i, paced),
      ]);
      result.calls++;
      if (proxied.status !== 200) {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(`call ${i}: ${proxied.status} ${proxied.text.slice(0, 200)}`);
      } else if (proxied.text !== direct.text) {
        result.altered++;
        if (result.errors.length < 5) result.errors.push(`call ${i}: body differs from the direct call`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return result;
}

/** Waits until the server's writer has nothing buffered (the outage is over). */
export async function waitForDrain(kalmiaUrl: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${kalmiaUrl}/api/health`)).json()) as any;
    if (health.writer.buffered_rows === 0) return health.writer;
    if (Date.now() > deadline) throw new Error(`writer still holds ${health.writer.buffered_rows} rows`);
    await Bun.sleep(200);
  }
}
