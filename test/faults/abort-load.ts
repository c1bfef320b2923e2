import type { FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";

export type AbortRun = { calls: number; upstreamClosed: number; closeMs: number[]; traceIds: string[] };

/**
 * Streamed calls through the proxy, each abandoned by its caller right after
 * the first chunk: how many upstream requests were closed, and how long after
 * the caller left (the fake records when its request was aborted).
 */
export async function abortAfterFirstChunk(kalmiaUrl: string, upstream: FakeUpstream, calls: number, project: string): Promise<AbortRun> {
  const leftAt = new Map<string, number>();
  const traceIds: string[] = [];
  await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const caller = new AbortController();
      const response = await fetch(`${kalmiaUrl}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-abort", "content-type": "application/json", "x-kalmia-project": project, "x-fake-scenario": "slow", "x-fake-delay-ms": "200" },
        body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: `abort me ${i}` }] }),
        signal: caller.signal,
      });
      traceIds.push(response.headers.get("x-kalmia-trace-id")!);
      const reader = response.body!.getReader();
      await reader.read();
      leftAt.set(`abort me ${i}`, Date.now());
      caller.abort();
      await reader.cancel().catch(() => {});
    }),
  );
  const deadline = Date.now() + 10_000;
  const ours = () => upstream.requests().filter((r) => JSON.stringify(r.body).includes("abort me"));
  while (Date.now() < deadline && ours().filter((r) => r.aborted).length < calls) await Bun.sleep(20);
  const closeMs = ours().flatMap((r) => {
    const content = (r.body as { messages: { content: string }[] }).messages[0]!.content;
    const left = leftAt.get(content);
    return r.abortedAt && left ? [r.abortedAt - left] : [];
  });
  return { calls, upstreamClosed: ours().filter((r) => r.aborted).length, closeMs, traceIds };
}
