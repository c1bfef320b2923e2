/** One measured call through a target: plain (latency) or streamed (time to first token, chunk gaps). */
import type { Target } from "./proxy-targets.ts";

const MESSAGES = [{ role: "user", content: "Hello!" }];

/** A plain call; `slow` makes the upstream wait 20 ms before answering. */
export async function plainCall(target: Target, extraHeaders: Record<string, string> = {}, slow = false): Promise<number> {
  const started = performance.now();
  const headers = { ...target.headers, ...extraHeaders, ...(slow ? { "x-fake-latency-ms": "20" } : {}) };
  const model = slow ? (target.slowModel ?? "gpt-4o") : "gpt-4o";
  const response = await fetch(target.chatUrl, { method: "POST", headers, body: JSON.stringify({ model, messages: MESSAGES }) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${target.name} answered ${response.status}`);
  return performance.now() - started;
}

export type StreamTiming = { ttft: number; gaps: number[]; total: number };

/** A streamed call; content arrival times are taken at each network read that carries a content delta. */
export async function streamCall(target: Target, chunks: number, delayMs: number, firstMs: number): Promise<StreamTiming> {
  const started = performance.now();
  const response = await fetch(target.chatUrl, {
    method: "POST",
    headers: { ...target.headers, "x-fake-chunks": String(chunks), "x-fake-delay-ms": String(delayMs), "x-fake-latency-ms": String(firstMs) },
    body: JSON.stringify({ model: target.streamModel ?? "gpt-4o", messages: MESSAGES, stream: true }),
  });
  if (response.status !== 200) throw new Error(`${target.name} answered ${response.status}`);
  const decoder = new TextDecoder();
  const arrivals: number[] = [];
  for await (const bytes of response.body!) {
    const text = decoder.decode(bytes, { stream: true });
    if (/"content":"[^"]/.test(text)) arrivals.push(performance.now() - started);
  }
  const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
  return { ttft: arrivals[0] ?? NaN, gaps, total: performance.now() - started };
}
