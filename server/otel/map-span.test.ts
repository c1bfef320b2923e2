import { describe, expect, test } from "bun:test";
import { mapSpan } from "./map-span.ts";
import { emptySpan, type Attributes, type OtlpSpan } from "./otlp-types.ts";

const NOW = BigInt(Date.now()) * 1_000_000n;
function span(name: string, attributes: Attributes, extra: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    ...emptySpan(),
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    parentSpanId: "00f067aa0ba902b7",
    name,
    startUnixNano: NOW - 2_000_000_000n,
    endUnixNano: NOW,
    attributes,
    ...extra,
  };
}
function mapped(s: OtlpSpan) {
  const result = mapSpan(s, { name: "test-scope", version: "1" }, "span");
  if (!result.ok) throw new Error(`${result.path} ${result.message}`);
  return result.value;
}

describe("OpenInference spans", () => {
  test("an LLM span's flattened messages, tool calls, model and token counts become an llm span", () => {
    const row = mapped(span("ChatCompletion", {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.invocation_parameters": '{"temperature": 0}',
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "Be brief.",
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.content": "Weather in Rome?",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_9",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city":"Rome"}',
      "llm.token_count.prompt": 21,
      "llm.token_count.completion": 7,
      "llm.token_count.total": 28,
      "session.id": "s-1",
    }));
    expect(row.span_attributes).toEqual({ name: "ChatCompletion", type: "llm" });
    expect(row.input).toEqual([{ role: "system", content: "Be brief." }, { role: "user", content: "Weather in Rome?" }]);
    expect(row.output).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_9", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } }],
    });
    expect(row.metadata).toMatchObject({ provider: "openai", model: "gpt-4o-mini", temperature: 0 });
    expect(row.session_id).toBe("s-1");
    expect(row.metrics).toMatchObject({ prompt_tokens: 21, completion_tokens: 7, tokens: 28 });
    expect(row.span_parents).toEqual(["00f067aa0ba902b7"]);
    expect(row.root_span_id).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  test("a TOOL span takes its name, input and output from tool.name and input/output.value", () => {
    const row = mapped(span("get_weather", {
      "openinference.span.kind": "TOOL",
      "tool.name": "get_weather",
      "input.value": '{"city": "Rome"}',
      "input.mime_type": "application/json",
      "output.value": "22 degrees",
    }));
    expect([row.span_attributes?.type, row.span_attributes?.name, row.input, row.output]).toEqual(["tool", "get_weather", { city: "Rome" }, "22 degrees"]);
    expect(row.metadata?.["input.mime_type"]).toBeUndefined();
  });

  test("a CHAIN span at the root is a task carrying input.value and output.value", () => {
    const row = mapped(span("agent", { "openinference.span.kind": "CHAIN", "input.value": "hi", "output.value": "hello" }, { parentSpanId: "" }));
    expect([row.span_attributes?.type, row.input, row.output, row.span_parents]).toEqual(["task", "hi", "hello", []]);
  });
});

describe("Vercel AI SDK spans", () => {
  test("a doGenerate span's prompt messages, text and tool calls become an llm span", () => {
    const row = mapped(span("ai.generateText.doGenerate", {
      "ai.operationId": "ai.generateText.doGenerate",
      "ai.model.provider": "openai.chat",
      "ai.model.id": "gpt-4o",
      "ai.prompt.messages": JSON.stringify([
        { role: "user", content: [{ type: "text", text: "Weather in Rome?" }] },
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "t1", toolName: "weather", input: { city: "Rome" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "t1", toolName: "weather", output: { type: "json", value: 22 } }] },
      ]),
      "ai.response.text": "It is 22 degrees.",
      "ai.usage.inputTokens": 30,
      "ai.usage.outputTokens": 8,
      "gen_ai.system": "openai.chat",
      "gen_ai.request.model": "gpt-4o",
    }));
    expect(row.span_attributes?.type).toBe("llm");
    expect(row.metadata).toMatchObject({ provider: "openai", model: "gpt-4o" });
    expect(row.metrics).toMatchObject({ prompt_tokens: 30, completion_tokens: 8 });
    expect(row.input).toEqual([
      { role: "user", content: "Weather in Rome?" },
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } }] },
      { role: "tool", content: { type: "json", value: 22 }, tool_call_id: "t1" },
    ]);
    expect(row.output).toEqual({ role: "assistant", content: "It is 22 degrees." });
  });

  test("an ai.toolCall span is a tool span named for its tool", () => {
    const row = mapped(span("ai.toolCall", {
      "ai.operationId": "ai.toolCall",
      "ai.toolCall.name": "weather",
      "ai.toolCall.id": "t1",
      "ai.toolCall.args": '{"city":"Rome"}',
      "ai.toolCall.result": '{"temp":22}',
    }));
    expect([row.span_attributes?.type, row.span_attributes?.name, row.input, row.output, row.metadata?.tool_call_id]).toEqual(["tool", "weather", { city: "Rome" }, { temp: 22 }, "t1"]);
  });
});

describe("any span", () => {
  test("unknown attributes and events are kept in metadata; an ERROR status without exception keeps its message", () => {
    const row = mapped(span("GET /weather", { "http.request.method": "GET", "http.response.status_code": 502 }, {
      kind: 3,
      status: { code: 2, message: "upstream 502" },
      events: [{ name: "retry", timeUnixNano: NOW - 1_000_000_000n, attributes: { attempt: 2 } }],
    }));
    expect(row.span_attributes?.type).toBe("function");
    expect(row.metadata).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 502, "otel.kind": "client", "otel.scope": "test-scope" });
    expect((row.metadata?.events as any[])[0]).toMatchObject({ name: "retry", attributes: { attempt: 2 } });
    expect(row.error).toBe("upstream 502");
  });

  test("a span whose ids are malformed is refused with the field named", () => {
    const result = mapSpan(span("x", {}, { spanId: "0000000000000000" }), { name: "", version: "" }, "spans[3]");
    expect(result.ok).toBe(false);
    expect(!result.ok && `${result.path} ${result.message}`).toBe("spans[3].spanId must be 8 bytes, not all zero");
  });
});

describe("time to first token of streamed calls", () => {
  const START = NOW - 2_000_000_000n;

  test("the Vercel AI SDK's ai.response.msToFirstChunk on a doStream span becomes time_to_first_token in seconds", () => {
    const row = mapped(span("ai.streamText.doStream", { "ai.operationId": "ai.streamText.doStream", "ai.model.id": "gpt-4o", "ai.model.provider": "openai.chat", "ai.response.msToFirstChunk": 250 }));
    expect(row.metrics!.time_to_first_token).toBe(0.25);
  });

  test("the Vercel AI SDK's ai.stream.firstChunk event gives it when the attribute is only on the event", () => {
    const event = { name: "ai.stream.firstChunk", timeUnixNano: START + 400_000_000n, attributes: { "ai.response.msToFirstChunk": 400 } };
    const row = mapped(span("ai.streamText.doStream", { "ai.operationId": "ai.streamText.doStream", "ai.model.id": "gpt-4o" }, { events: [event] }));
    expect(row.metrics!.time_to_first_token).toBe(0.4);
  });

  test("OpenInference's First Token Stream Event gives it from the event's time", () => {
    const event = { name: "First Token Stream Event", timeUnixNano: START + 300_000_000n, attributes: {} };
    const row = mapped(span("ChatCompletion", { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o" }, { events: [event] }));
    expect(row.metrics!.time_to_first_token).toBe(0.3);
  });

  test("GenAI semconv's time_to_first_chunk attribute (seconds) gives it", () => {
    const row = mapped(span("chat gpt-4o", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.response.time_to_first_chunk": 0.125 }));
    expect(row.metrics!.time_to_first_token).toBe(0.125);
  });

  test("the AI SDK 7 OpenTelemetry integration's gen_ai.client.operation.time_to_first_chunk gives it", () => {
    const row = mapped(span("chat gpt-4o", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.client.operation.time_to_first_chunk": 0.038 }));
    expect(row.metrics!.time_to_first_token).toBe(0.038);
  });

  test("a span with none of them has no time_to_first_token", () => {
    const row = mapped(span("chat gpt-4o", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" }));
    expect(row.metrics!.time_to_first_token).toBeUndefined();
  });
});

test("an OpenInference EMBEDDING span gets its model from embedding.model_name, is of kind embedding, and keeps no vectors", () => {
  const row = mapped(span("CreateEmbeddingResponse", {
    "openinference.span.kind": "EMBEDDING",
    "llm.provider": "openai",
    "embedding.model_name": "text-embedding-3-small",
    "embedding.embeddings.0.embedding.text": "first",
    "embedding.embeddings.0.embedding.vector": [0.1, 0.2, 0.3],
    "embedding.embeddings.1.embedding.text": "second",
    "embedding.embeddings.1.embedding.vector": [0.4, 0.5, 0.6],
    "llm.token_count.prompt": 4,
    "llm.token_count.total": 4,
  }));
  expect(row.span_attributes!.type).toBe("llm");
  expect(row.metadata).toMatchObject({ provider: "openai", model: "text-embedding-3-small", kind: "embedding", embeddings: 2 });
  expect(JSON.stringify(row)).not.toContain("0.5");
  expect(row.metrics).toMatchObject({ prompt_tokens: 4, tokens: 4 });
});

test("an OpenInference LiteLLM span records the model without LiteLLM's provider route, whatever its invocation parameters say", () => {
  const row = mapped(span("completion", {
    "openinference.span.kind": "LLM",
    "llm.provider": "openai",
    "llm.model_name": "openai/gpt-4o",
    "llm.invocation_parameters": JSON.stringify({ model: "openai/gpt-4o", max_tokens: 256, stream: false }),
    "llm.token_count.prompt": 12,
    "llm.token_count.completion": 9,
  }));
  expect(row.metadata).toMatchObject({ provider: "openai", model: "gpt-4o", max_tokens: 256 });
});
