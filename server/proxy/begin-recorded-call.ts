import type { Writer } from "../../db/write/writer.ts";
import { readCallContext } from "./call-context.ts";
import { readKalmiaHeaders } from "./kalmia-headers.ts";
import type { Provider } from "./providers.ts";
import type { ProgressSink } from "./live-progress.ts";
import { ProxySpan } from "./proxy-span.ts";
import type { RecordedEndpoint } from "./recorded-endpoints.ts";
import { secretScrubber, secretsOfRequest } from "./scrub-secrets.ts";

export type RecordedCall = { span: ProxySpan; bytes: Uint8Array<ArrayBuffer>; injectedUsage: boolean };

/**
 * Starts the span of a recorded call and decides what goes upstream: the caller's bytes untouched,
 * except that a streamed chat completion always asks for usage (the caller's copy has it stripped again).
 */
export function beginRecordedCall(
  writer: Writer,
  runningRowDelayMs: number,
  progress: ProgressSink | null,
  call: { request: Request; path: string; provider: Provider; endpoint: RecordedEndpoint; body: Record<string, any>; bytes: Uint8Array<ArrayBuffer> },
): RecordedCall {
  const { request, path, provider, endpoint, body, bytes } = call;
  const injectedUsage = endpoint.asksForStreamUsage && body.stream === true && body.stream_options?.include_usage !== true;
  const forwarded = injectedUsage ? new TextEncoder().encode(JSON.stringify({ ...body, stream_options: { ...body.stream_options, include_usage: true } })) : bytes;
  const tags = readKalmiaHeaders(request.headers);
  const { context, metadata } = readCallContext(request.headers, body);
  const span = new ProxySpan(writer, {
    tags,
    name: endpoint.spanName,
    provider: provider.name,
    model: typeof body.model === "string" ? body.model : null,
    input: endpoint.input(body),
    // The body's own metadata first, so that metadata.KEY= finds it; the headers' over it.
    metadata: { ...metadata, ...tags.metadata, ...endpoint.params(body), ...(body.tools ? { tools: body.tools } : {}), endpoint: path },
    context,
    scrub: secretScrubber(secretsOfRequest(request.headers, request.url)),
  }, runningRowDelayMs, progress);
  span.begin();
  return { span, bytes: forwarded, injectedUsage };
}
