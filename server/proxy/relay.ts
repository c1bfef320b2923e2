import type { Writer } from "../../db/write/writer.ts";
import { beginRecordedCall, type RecordedCall } from "./begin-recorded-call.ts";
import { captureStream } from "./capture-stream.ts";
import { usageChunkDropper } from "./drop-usage-chunk.ts";
import { callerResponseHeaders, upstreamRequestHeaders } from "./forward-headers.ts";
import { providerError, type Provider } from "./providers.ts";
import type { ProxyOptions } from "./proxy-options.ts";
import { parseJsonObject, readProxyBody } from "./read-proxy-body.ts";
import type { RecordedEndpoint } from "./recorded-endpoints.ts";
import type { ProgressSink } from "./live-progress.ts";
import { kalmiaHeaderProblem } from "./kalmia-headers.ts";
import { jsonOutcome, noAnswer, streamOutcome } from "./span-endings.ts";
import { upstreamAbort } from "./upstream-abort.ts";

/** Told of each call that went upstream: its status, or why none came (for /metrics). */
export type CallCounter = (provider: string, model: string | null, status: number | "error" | "timeout" | "cancelled") => void;

/** Where a call goes upstream (`url`), and the path it came in on. */
export type Target = { provider: Provider; url: string; path: string; endpoint: RecordedEndpoint | null };

/**
 * Forwards one call upstream and hands the answer back as it arrives. Recorded endpoints get an llm
 * span: begun before the upstream call, ended in the background once the answer is assembled.
 */
export function createRelay(writer: Writer, options: ProxyOptions, progress: ProgressSink | null = null, counted: CallCounter = () => {}) {
  return async function relay(request: Request, target: Target): Promise<Response> {
    const { provider, endpoint } = target;
    const headerProblem = kalmiaHeaderProblem(request.headers);
    if (headerProblem) return providerError(provider, 400, headerProblem);
    const read = await readProxyBody(request, options.bodyLimitBytes);
    if (!read.ok) return providerError(provider, read.status, read.message);
    let call: RecordedCall | null = null;
    let model: string | null = null;
    if (endpoint) {
      const json = parseJsonObject(read.bytes);
      if (!json.ok) return providerError(provider, json.status, json.message);
      if (typeof json.value.model === "string") model = json.value.model;
      call = beginRecordedCall(writer, options.runningRowDelayMs, progress, { request, path: target.path, provider, endpoint, body: json.value, bytes: read.bytes });
    }

    const abort = upstreamAbort(request.signal, options.upstreamTimeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(target.url, {
        method: request.method,
        headers: upstreamRequestHeaders(request.headers),
        body: request.method === "GET" ? null : (call?.bytes ?? read.bytes),
        signal: abort.signal,
        redirect: "manual",
        // Bun's fetch gives up on a socket idle for 5 minutes; a model may think longer than that.
        timeout: options.upstreamTimeoutMs,
      });
    } catch (error) {
      const timedOut = abort.reason() === "timeout";
      const status = timedOut ? 504 : 502;
      const message = timedOut ? `upstream did not answer within ${options.upstreamTimeoutMs} ms` : `upstream unreachable: ${(error as Error).message}`;
      const callerLeft = abort.reason() === "caller";
      counted(provider.name, model, timedOut ? "timeout" : callerLeft ? "cancelled" : "error");
      call?.span.end({ ...noAnswer, status: callerLeft ? "cancelled" : "error", error: callerLeft ? null : { message, status }, httpStatus: callerLeft ? null : status, requestId: null });
      const failure = providerError(provider, status, message);
      if (call) failure.headers.set("x-kalmia-trace-id", call.span.traceId);
      return failure;
    }
    abort.headersArrived();
    counted(provider.name, model, upstream.status);

    const headers = callerResponseHeaders(upstream.headers);
    if (!call || !endpoint) return new Response(upstream.body, { status: upstream.status, headers });
    const { span } = call;
    headers.set("x-kalmia-trace-id", span.traceId);
    const answered = { httpStatus: upstream.status, requestId: upstream.headers.get(provider.requestIdHeader) };

    if (upstream.ok && upstream.body && (upstream.headers.get("content-type") ?? "").includes("text/event-stream")) {
      const assembler = endpoint.streamAssembler();
      const toCaller = captureStream(
        upstream.body,
        assembler,
        {
          onToken: () => {
            span.firstToken();
            span.partial(() => assembler.result().output);
          },
          onEnd: (ending, notes) => {
            if (ending.kind === "caller-left") abort.callerLeft();
            span.end({ ...streamOutcome(assembler, ending, { ...notes, callerLeft: abort.reason() === "caller" }), ...answered });
          },
        },
        call.injectedUsage ? usageChunkDropper() : null,
      );
      return new Response(toCaller, { status: upstream.status, headers });
    }

    let answer: ArrayBuffer;
    try {
      answer = await upstream.arrayBuffer();
    } catch (error) {
      const callerLeft = abort.reason() === "caller";
      const message = `upstream connection closed before the answer was complete: ${(error as Error).message}`;
      span.end({ ...noAnswer, ...answered, status: callerLeft ? "cancelled" : "error", error: callerLeft ? null : { message } });
      return providerError(provider, 502, message);
    }
    span.firstToken();
    // Assembling waits until the answer is on its way to the caller.
    setImmediate(() => span.end({ ...jsonOutcome(upstream.status, answer, endpoint.fromJson), ...answered }));
    return new Response(answer, { status: upstream.status, headers });
  };
}
