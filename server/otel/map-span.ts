import type { SpanRowInput, SpanType } from "../../db/write/span-row.ts";
import { invalid, type Checked } from "../http/checked.ts";
import { validateSpanRow } from "../spans/validate-span-row.ts";
import { AttrBag } from "./attr-bag.ts";
import { classifySpan } from "./classify-span.ts";
import { contextAttributes } from "./context-attributes.ts";
import { genAiConversation, type Conversation } from "./gen-ai-messages.ts";
import { firstTokenSeconds } from "./first-token.ts";
import { dropUndefined, llmFields } from "./llm-fields.ts";
import { openInferenceConversation } from "./openinference-messages.ts";
import type { OtlpScope, OtlpSpan } from "./otlp-types.ts";
import { spanError } from "./span-error.ts";
import { genericIO, toolFields } from "./tool-fields.ts";
import { vercelAiConversation } from "./vercel-ai-messages.ts";

const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;
const KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
// Events the mapping reads; others are kept in metadata.events.
const READ_EVENTS = /^(exception$|gen_ai\.)/;

/** Nanoseconds since the epoch as Unix seconds (microsecond precision); 0 = absent. */
const seconds = (nanos: bigint) => (nanos > 0n ? Number(nanos / 1000n) / 1e6 : undefined);

function conversation(span: OtlpSpan, bag: AttrBag): Conversation {
  const all = [genAiConversation(bag, span.events), openInferenceConversation(bag), vercelAiConversation(bag)];
  return { input: all.find((c) => c.input)?.input, output: all.find((c) => c.output)?.output };
}

function content(type: SpanType, span: OtlpSpan, bag: AttrBag) {
  if (type === "llm") {
    const { metadata, metrics } = llmFields(bag);
    const { input, output } = conversation(span, bag);
    const io = genericIO(bag);
    return { metadata, metrics: dropUndefined({ ...metrics, time_to_first_token: firstTokenSeconds(span, bag) }), input: input ?? io.input, output: output ?? io.output };
  }
  if (type === "tool") {
    const { name, input, output, metadata } = toolFields(bag);
    return { name, metadata, input, output };
  }
  const { input, output } = conversation(span, bag);
  const io = genericIO(bag);
  return { metadata: {}, input: input ?? io.input, output: output ?? io.output };
}

/**
 * One OTel span as one Kalmia span row (docs/SPANS.md). The OTel trace id is
 * both the trace id and root_span_id, so the spans of one trace assemble into
 * one trace whichever request brings them and in whatever order.
 */
export function mapSpan(span: OtlpSpan, scope: OtlpScope, path: string): Checked<SpanRowInput> {
  if (!TRACE_ID.test(span.traceId)) return invalid(`${path}.traceId`, "must be 16 bytes, not all zero");
  if (!SPAN_ID.test(span.spanId)) return invalid(`${path}.spanId`, "must be 8 bytes, not all zero");
  if (span.parentSpanId && !SPAN_ID.test(span.parentSpanId)) return invalid(`${path}.parentSpanId`, "must be 8 bytes when set");
  const bag = new AttrBag(span.attributes);
  const type = classifySpan(bag, !span.parentSpanId);
  const found = content(type, span, bag);
  const { metadata: contextMetadata, ...context } = contextAttributes(bag);
  const otherEvents = span.events
    .filter((e) => !READ_EVENTS.test(e.name))
    .map((e) => ({ name: e.name, time: seconds(e.timeUnixNano), attributes: e.attributes }));
  const metadata = dropUndefined({
    ...contextMetadata,
    ...bag.rest(),
    ...found.metadata,
    "otel.kind": KINDS[span.kind],
    "otel.scope": scope.name || undefined,
    "otel.status_message": span.status.code !== 2 && span.status.message ? span.status.message : undefined,
    events: otherEvents.length ? otherEvents : undefined,
  });
  const row: SpanRowInput = {
    id: span.spanId,
    span_id: span.spanId,
    root_span_id: span.traceId,
    trace_id: span.traceId,
    span_parents: span.parentSpanId ? [span.parentSpanId] : [],
    span_attributes: { name: (type === "tool" && "name" in found ? found.name : undefined) ?? span.name, type },
    input: found.input,
    output: found.output,
    metadata,
    metrics: dropUndefined({ ...("metrics" in found ? found.metrics : {}), start: seconds(span.startUnixNano), end: seconds(span.endUnixNano) }),
    error: spanError(span),
    ...context,
  };
  return validateSpanRow(dropUndefined(row), path, { clampValues: true });
}
