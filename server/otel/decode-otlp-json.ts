import { isObject } from "../http/checked.ts";
import type { AttrValue, Attributes, OtlpEvent, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from "./otlp-types.ts";
import { CUT_VALUE, DECODE_DEPTH, emptySpan } from "./otlp-types.ts";

/** The JSON body does not have the shape of an ExportTraceServiceRequest. */
export class OtlpJsonError extends Error {}

type Obj = Record<string, unknown>;

/** OTLP/JSON uses lowerCamelCase; protobuf's JSON mapping also accepts the proto names. */
function get(o: Obj, camel: string): unknown {
  if (camel in o) return o[camel];
  return o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function list(o: Obj, key: string, where: string): Obj[] {
  const v = get(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObject)) throw new OtlpJsonError(`${where}.${key} must be an array of objects`);
  return v;
}

function str(o: Obj, key: string, where: string): string {
  const v = get(o, key);
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new OtlpJsonError(`${where}.${key} must be a string`);
  return v;
}

/** OTLP/JSON writes 64-bit integers as decimal strings; numbers are accepted too. */
function nanos(o: Obj, key: string, where: string): bigint {
  const v = get(o, key);
  if (v === undefined || v === null) return 0n;
  if ((typeof v === "string" && /^\d+$/.test(v)) || (typeof v === "number" && Number.isInteger(v) && v >= 0)) {
    return BigInt(v);
  }
  throw new OtlpJsonError(`${where}.${key} must be an unsigned integer (nanoseconds)`);
}

/** Enums may come as numbers or as their proto names (SPAN_KIND_SERVER, STATUS_CODE_ERROR). */
function enumValue(v: unknown, names: string[]): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Math.max(0, names.indexOf(v));
  return 0;
}

/**
 * Ids are hex in OTLP/JSON; some older exporters wrote base64 (protobuf's
 * JSON mapping for bytes), so a value that is not hex of the right length
 * is read as base64.
 */
function id(o: Obj, key: string, bytes: number, where: string): string {
  const v = str(o, key, where);
  if (v === "" || (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v))) return v.toLowerCase();
  const decoded = Buffer.from(v, "base64");
  if (decoded.length === bytes) return decoded.toString("hex");
  return v;
}

function anyValue(v: unknown, depth: number): AttrValue {
  // Past the bound a value is cut, never its span (as in decode-otlp-proto.ts).
  if (depth > DECODE_DEPTH) return CUT_VALUE;
  if (!isObject(v)) return null;
  if ("stringValue" in v || "string_value" in v) return String(get(v, "stringValue"));
  if ("boolValue" in v || "bool_value" in v) return get(v, "boolValue") === true;
  if ("intValue" in v || "int_value" in v) {
    const n = Number(get(v, "intValue"));
    return Number.isSafeInteger(n) ? n : String(get(v, "intValue"));
  }
  if ("doubleValue" in v || "double_value" in v) return Number(get(v, "doubleValue"));
  if ("bytesValue" in v || "bytes_value" in v) return String(get(v, "bytesValue"));
  const array = get(v, "arrayValue");
  if (isObject(array)) return list(array, "values", "arrayValue").map((x) => anyValue(x, depth + 1));
  const kvlist = get(v, "kvlistValue");
  if (isObject(kvlist)) return attributes(list(kvlist, "values", "kvlistValue"), depth + 1);
  return null;
}

function attributes(pairs: Obj[], depth = 0): Attributes {
  const out: Attributes = {};
  for (const pair of pairs) {
    if (typeof pair.key === "string") out[pair.key] = anyValue(pair.value, depth);
  }
  return out;
}

function event(e: Obj, where: string): OtlpEvent {
  return {
    name: str(e, "name", where),
    timeUnixNano: nanos(e, "timeUnixNano", where),
    attributes: attributes(list(e, "attributes", where)),
  };
}

function span(s: Obj, where: string): OtlpSpan {
  const status = get(s, "status");
  return {
    ...emptySpan(),
    traceId: id(s, "traceId", 16, where),
    spanId: id(s, "spanId", 8, where),
    parentSpanId: id(s, "parentSpanId", 8, where),
    name: str(s, "name", where),
    kind: enumValue(get(s, "kind"), ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]),
    startUnixNano: nanos(s, "startTimeUnixNano", where),
    endUnixNano: nanos(s, "endTimeUnixNano", where),
    attributes: attributes(list(s, "attributes", where)),
    events: list(s, "events", where).map((e, i) => event(e, `${where}.events[${i}]`)),
    status: isObject(status)
      ? {
          code: enumValue(status.code, ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]),
          message: typeof status.message === "string" ? status.message : "",
        }
      : { code: 0, message: "" },
  };
}

function scopeSpans(o: Obj, where: string): OtlpScopeSpans {
  const scope = isObject(get(o, "scope")) ? (get(o, "scope") as Obj) : {};
  return {
    scope: { name: str(scope, "name", `${where}.scope`), version: str(scope, "version", `${where}.scope`) },
    spans: list(o, "spans", where).map((s, i) => span(s, `${where}.spans[${i}]`)),
  };
}

/** Reads an OTLP/JSON ExportTraceServiceRequest; throws OtlpJsonError on a wrong shape. */
export function decodeOtlpJson(body: unknown): OtlpResourceSpans[] {
  if (!isObject(body)) throw new OtlpJsonError("body must be an ExportTraceServiceRequest object");
  return list(body, "resourceSpans", "$").map((rs, i) => {
    const where = `resourceSpans[${i}]`;
    const resource = isObject(get(rs, "resource")) ? (get(rs, "resource") as Obj) : {};
    return {
      resource: attributes(list(resource, "attributes", `${where}.resource`)),
      scopeSpans: list(rs, "scopeSpans", where).map((ss, j) => scopeSpans(ss, `${where}.scopeSpans[${j}]`)),
    };
  });
}
