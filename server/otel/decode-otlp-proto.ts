import type { AttrValue, Attributes, OtlpEvent, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from "./otlp-types.ts";
import { CUT_VALUE, DECODE_DEPTH, emptySpan } from "./otlp-types.ts";
import { FIXED64, LEN, ProtoError, ProtoReader, VARINT } from "./proto-reader.ts";

// Field numbers from opentelemetry-proto: collector/trace/v1/trace_service.proto,
// trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto.

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** int64 attributes become numbers when exact, strings otherwise. */
const intValue = (v: bigint): AttrValue =>
  v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();

// Attribute values nest (arrays, key-value lists); bounded so a crafted body cannot exhaust the
// stack. Past the bound a value is cut, never its span: the writer cuts deep values at the API's
// depth limit anyway, with a warning in the span (db/write/clamp-write.ts).
function anyValue(r: ProtoReader, depth: number): AttrValue {
  if (depth > DECODE_DEPTH) return CUT_VALUE;
  let value: AttrValue = null;
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) value = r.string();
    else if (f.number === 2 && f.wire === VARINT) value = r.bool();
    else if (f.number === 3 && f.wire === VARINT) value = intValue(r.int64());
    else if (f.number === 4 && f.wire === FIXED64) value = r.double();
    else if (f.number === 5 && f.wire === LEN) value = arrayValue(r.message(), depth + 1);
    else if (f.number === 6 && f.wire === LEN) value = keyValues(r.message(), 1, {}, depth + 1);
    else if (f.number === 7 && f.wire === LEN) value = Buffer.from(r.bytesField()).toString("base64");
    else r.skip(f.wire);
  }
  return value;
}

function arrayValue(r: ProtoReader, depth: number): AttrValue[] {
  const values: AttrValue[] = [];
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) values.push(anyValue(r.message(), depth));
    else r.skip(f.wire);
  }
  return values;
}

/** Reads the repeated KeyValue field `field` of a message into an object. */
function keyValues(r: ProtoReader, field: number, into: Attributes = {}, depth = 0): Attributes {
  while (!r.done()) {
    const f = r.tag();
    if (f.number === field && f.wire === LEN) keyValue(r.message(), into, depth);
    else r.skip(f.wire);
  }
  return into;
}

function keyValue(r: ProtoReader, into: Attributes, depth = 0) {
  let key = "";
  let value: AttrValue = null;
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) key = r.string();
    else if (f.number === 2 && f.wire === LEN) value = anyValue(r.message(), depth);
    else r.skip(f.wire);
  }
  into[key] = value;
}

function event(r: ProtoReader): OtlpEvent {
  const e: OtlpEvent = { name: "", timeUnixNano: 0n, attributes: {} };
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === FIXED64) e.timeUnixNano = r.fixed64();
    else if (f.number === 2 && f.wire === LEN) e.name = r.string();
    else if (f.number === 3 && f.wire === LEN) keyValue(r.message(), e.attributes);
    else r.skip(f.wire);
  }
  return e;
}

function status(r: ProtoReader): OtlpSpan["status"] {
  const s = { code: 0, message: "" };
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 2 && f.wire === LEN) s.message = r.string();
    else if (f.number === 3 && f.wire === VARINT) s.code = r.uint();
    else r.skip(f.wire);
  }
  return s;
}

function span(r: ProtoReader): OtlpSpan {
  const s = emptySpan();
  while (!r.done()) {
    const f = r.tag();
    switch (f.number) {
      case 1: r.expect(f, LEN); s.traceId = hex(r.bytesField()); break;
      case 2: r.expect(f, LEN); s.spanId = hex(r.bytesField()); break;
      case 4: r.expect(f, LEN); s.parentSpanId = hex(r.bytesField()); break;
      case 5: r.expect(f, LEN); s.name = r.string(); break;
      case 6: r.expect(f, VARINT); s.kind = r.uint(); break;
      case 7: r.expect(f, FIXED64); s.startUnixNano = r.fixed64(); break;
      case 8: r.expect(f, FIXED64); s.endUnixNano = r.fixed64(); break;
      case 9: r.expect(f, LEN); keyValue(r.message(), s.attributes); break;
      case 11: r.expect(f, LEN); s.events.push(event(r.message())); break;
      case 15: r.expect(f, LEN); s.status = status(r.message()); break;
      default: r.skip(f.wire);
    }
  }
  return s;
}

function scopeSpans(r: ProtoReader): OtlpScopeSpans {
  const out: OtlpScopeSpans = { scope: { name: "", version: "" }, spans: [] };
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) {
      const scope = r.message();
      while (!scope.done()) {
        const g = scope.tag();
        if (g.number === 1 && g.wire === LEN) out.scope.name = scope.string();
        else if (g.number === 2 && g.wire === LEN) out.scope.version = scope.string();
        else scope.skip(g.wire);
      }
    } else if (f.number === 2 && f.wire === LEN) out.spans.push(span(r.message()));
    else r.skip(f.wire);
  }
  return out;
}

function resourceSpans(r: ProtoReader): OtlpResourceSpans {
  const out: OtlpResourceSpans = { resource: {}, scopeSpans: [] };
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) keyValues(r.message(), 1, out.resource);
    else if (f.number === 2 && f.wire === LEN) out.scopeSpans.push(scopeSpans(r.message()));
    else r.skip(f.wire);
  }
  return out;
}

/** Decodes an ExportTraceServiceRequest; throws ProtoError on malformed bytes. */
export function decodeOtlpProto(bytes: Uint8Array): OtlpResourceSpans[] {
  const r = new ProtoReader(bytes);
  const out: OtlpResourceSpans[] = [];
  while (!r.done()) {
    const f = r.tag();
    if (f.number === 1 && f.wire === LEN) out.push(resourceSpans(r.message()));
    else r.skip(f.wire);
  }
  return out;
}
