import type { Writer } from "../../db/writer.ts";
import type { Assembled } from "./capture/assembled.ts";
import { teeForCapture, type StreamEnding } from "./capture-stream.ts";
import { dropUsageChunk } from "./drop-usage-chunk.ts";
import { callerResponseHeaders, credentialsOf, upstreamRequestHeaders } from "./forward-headers.ts";
import { readKalmiaHeaders } from "./kalmia-headers.ts";
import { providerError, type Provider } from "./providers.ts";
import type { ProxyOptions } from "./proxy-options.ts";
import { ProxySpan } from "./proxy-span.ts";
import { parseJsonObject, readProxyBody } from "./read-proxy-body.ts";
import type { RecordedEndpoint } from "./recorded-endpoints.ts";
import { upstreamAbort } from "./upstream-abort.ts";

export type Target = { provider: Provider; url: string; endpoint: RecordedEndpoint | null };

/**
 * Forwards one call upstream and hands the answer back as it arrives. Recorded endpoints get an llm
 * span: begun before the upstream call, ended in the background once the answer is assembled.
 */
export function createRelay(writer: Writer, options: ProxyOptions) {
  return async function relay(request: Request, target: Target): Promise<Response> {
    const { provider, endpoint } = target;
    const read = await readProxyBody(request, options.bodyLimitBytes);
    if (!read.ok) return providerError(provider, read.status, read.message);
    let bytes: Uint8Array<ArrayBuffer> | null = request.method === "GET" ? null : read.bytes;
    let span: ProxySpan | null = null;
    let injectedUsage = false;
    if (endpoint) {
      const json = parseJsonObject(read.bytes);
      if (!json.ok) return providerError(provider, json.status, json.message);
      const body = json.value;
      injectedUsage = endpoint.spanName === "openai chat" && body.stream === true && (body.stream_options as any)?.include_usage !== true;
      // Usage is captured for every streamed call: ask for it, and strip it from the caller's copy.
      if (injectedUsage) bytes = new TextEncoder().encode(JSON.stringify({ ...body, stream_options: { ...(body.stream_options as object), include_usage: true } }));
      const tags = readKalmiaHeaders(request.headers);
      span = new ProxySpan(writer, {
        tags,
        name: endpoint.spanName,
        provider: provider.name,
        model: typeof body.model === "string" ? body.model : null,
        input: endpoint.input(body),
        metadata: { ...tags.metadata, ...endpoint.params(body), ...(body.tools ? { tools: body.tools } : {}), endpoint: new URL(request.url).pathname },
        secrets: credentialsOf(request.headers),
      });
      span.begin();
    }

    const abort = upstreamAbort(request.signal, options.upstreamTimeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(target.url, {
        method: request.method,
        headers: upstreamRequestHeaders(request.headers),
        body: bytes,
        signal: abort.signal,
        redirect: "manual",
        // Bun's fetch gives up on a socket idle for 5 minutes; a model may think longer than that.
        timeout: options.upstreamTimeoutMs,
      });
    } catch (error) {
      const reason = abort.reason();
      const status = reason === "timeout" ? 504 : 502;
      const message = reason === "timeout" ? `upstream did not answer within ${options.upstreamTimeoutMs} ms` : `upstream unreachable: ${(error as Error).message}`;
      span?.end({ ...emptyEnd, status: reason === "caller" ? "cancelled" : "error", error: reason === "caller" ? null : { message, status }, httpStatus: reason === "caller" ? null : status });
      const failure = providerError(provider, status, message);
      if (span) failure.headers.set("x-kalmia-trace-id", span.traceId);
      return failure;
    }
    abort.headersArrived();

    const headers = callerResponseHeaders(upstream.headers);
    if (!span || !endpoint) return new Response(upstream.body, { status: upstream.status, headers });
    headers.set("x-kalmia-trace-id", span.traceId);
    const requestId = upstream.headers.get(provider.requestIdHeader);
    const ended = { httpStatus: upstream.status, requestId };
    const isStream = upstream.ok && upstream.body && (upstream.headers.get("content-type") ?? "").includes("text/event-stream");

    if (isStream) {
      const assembler = endpoint.streamAssembler();
      const activeSpan = span;
      const toCaller = teeForCapture(upstream.body!, assembler, {
        onToken: () => activeSpan.firstToken(),
        onEnd: (ending) => activeSpan.end({ ...streamEnd(assembler.result(), ending, abort.reason() === "caller"), ...ended }),
      });
      return new Response(injectedUsage ? toCaller.pipeThrough(dropUsageChunk()) : toCaller, { status: upstream.status, headers });
    }

    let answer: ArrayBuffer;
    try {
      answer = await upstream.arrayBuffer();
    } catch (error) {
      const cancelled = abort.reason() === "caller";
      const message = `upstream connection closed before the answer was complete: ${(error as Error).message}`;
      span.end({ ...emptyEnd, ...ended, status: cancelled ? "cancelled" : "error", error: cancelled ? null : { message } });
      return providerError(provider, 502, message);
    }
    span.firstToken();
    const doneSpan = span;
    // Assembling waits until the answer is on its way to the caller.
    setImmediate(() => doneSpan.end({ ...jsonEnd(endpoint, upstream.status, answer), ...ended }));
    return new Response(answer, { status: upstream.status, headers });
  };
}

const emptyEnd = { output: null, error: null, model: null, usage: null, finishReason: null, httpStatus: null, requestId: null };

function streamEnd(assembled: Assembled, ending: StreamEnding, cancelled: boolean) {
  const base = { output: assembled.output, model: assembled.model, usage: assembled.usage, finishReason: assembled.finishReason };
  if (cancelled) return { ...base, status: "cancelled" as const, error: null };
  if (ending.kind === "failed") return { ...base, status: "error" as const, error: { message: `upstream stream failed: ${String((ending.error as Error)?.message ?? ending.error)}` } };
  if (assembled.error) return { ...base, status: "error" as const, error: assembled.error };
  if (!assembled.complete) return { ...base, status: "error" as const, error: { message: "upstream stream ended before its final event" } };
  return { ...base, status: "ok" as const, error: null };
}

function jsonEnd(endpoint: RecordedEndpoint, status: number, answer: ArrayBuffer) {
  let body: any = null;
  try {
    body = JSON.parse(new TextDecoder().decode(answer));
  } catch {}
  if (status >= 400) return { ...emptyEnd, status: "error" as const, error: body?.error ?? body ?? { message: `upstream answered ${status}` } };
  if (body === null) return { ...emptyEnd, status: "error" as const, error: { message: "upstream answer is not JSON" } };
  const assembled = endpoint.fromJson(body);
  const base = { output: assembled.output, model: assembled.model, usage: assembled.usage, finishReason: assembled.finishReason };
  return assembled.error ? { ...base, status: "error" as const, error: assembled.error } : { ...base, status: "ok" as const, error: null };
}
