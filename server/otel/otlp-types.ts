import { LIMITS } from "../http/limits.ts";

/** OTLP trace data after decoding, the same whether it came as protobuf or JSON. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export type OtlpEvent = { name: string; timeUnixNano: bigint; attributes: Attributes };

export type OtlpSpan = {
  /** Lowercase hex, as OTLP/JSON writes ids; "" when absent. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startUnixNano: bigint;
  endUnixNano: bigint;
  attributes: Attributes;
  events: OtlpEvent[];
  /** 0 unset, 1 ok, 2 error (opentelemetry/proto/trace/v1 Status.StatusCode). */
  status: { code: number; message: string };
};

export type OtlpScope = { name: string; version: string };
export type OtlpScopeSpans = { scope: OtlpScope; spans: OtlpSpan[] };
export type OtlpResourceSpans = { resource: Attributes; scopeSpans: OtlpScopeSpans[] };

export const STATUS_ERROR = 2;

/**
 * How deep the decoders follow nested attribute values: twice the API's depth limit, so that what
 * is cut here is always past the limit, where the writer cuts it again and says so in the span.
 */
export const DECODE_DEPTH = 2 * LIMITS.depth;
export const CUT_VALUE = `[cut: nested deeper than ${2 * LIMITS.depth} levels]`;

export const emptySpan = (): OtlpSpan => ({
  traceId: "",
  spanId: "",
  parentSpanId: "",
  name: "",
  kind: 0,
  startUnixNano: 0n,
  endUnixNano: 0n,
  attributes: {},
  events: [],
  status: { code: 0, message: "" },
});
