import { context, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";

/** What the emitted agent run must look like once stored in Kalmia. */
export type AgentRun = { traceId: string; root: string; chats: string[]; tools: string[] };

const SYSTEM = "You are a weather assistant.";
const QUESTION = "What's the weather in Paris and Oslo?";
export const CALLS = [
  { id: "call_paris", city: "Paris", result: { temp_c: 18, sky: "sunny" } },
  { id: "call_oslo", city: "Oslo", result: { temp_c: 7, sky: "rain" } },
];
export const ANSWER = "Paris is sunny at 18°C; Oslo has rain at 7°C.";

const parts = (text: string) => [{ type: "text", content: text }];
const toolCallParts = CALLS.map((c) => ({ type: "tool_call", id: c.id, name: "get_weather", arguments: { city: c.city } }));

function chatSpan(tracer: Tracer, parent: Span, turn: 1 | 2): Span {
  const span = tracer.startSpan("chat gpt-4o", { kind: 2 }, trace.setSpan(context.active(), parent));
  const input = [{ role: "user", parts: parts(QUESTION) }];
  if (turn === 2) {
    input.push({ role: "assistant", parts: toolCallParts as never });
    input.push({ role: "tool", parts: CALLS.map((c) => ({ type: "tool_call_response", id: c.id, response: c.result })) as never });
  }
  const output = turn === 1
    ? [{ role: "assistant", parts: toolCallParts, finish_reason: "tool_calls" }]
    : [{ role: "assistant", parts: parts(ANSWER), finish_reason: "stop" }];
  span.setAttributes({
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.response.model": "gpt-4o-2024-08-06",
    "gen_ai.request.temperature": 0.2,
    "gen_ai.usage.input_tokens": turn === 1 ? 50 : 120,
    "gen_ai.usage.output_tokens": turn === 1 ? 30 : 25,
    "gen_ai.response.finish_reasons": [turn === 1 ? "tool_calls" : "stop"],
    "gen_ai.system_instructions": JSON.stringify(parts(SYSTEM)),
    "gen_ai.input.messages": JSON.stringify(input),
    "gen_ai.output.messages": JSON.stringify(output),
    "server.address": "api.openai.com",
  });
  return span;
}

function toolSpan(tracer: Tracer, parent: Span, call: (typeof CALLS)[number]): Span {
  const span = tracer.startSpan("execute_tool get_weather", {}, trace.setSpan(context.active(), parent));
  span.setAttributes({
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.call.id": call.id,
    "gen_ai.tool.type": "function",
    "gen_ai.tool.call.arguments": JSON.stringify({ city: call.city }),
    "gen_ai.tool.call.result": JSON.stringify(call.result),
  });
  return span;
}

/**
 * Emits one agent run with the GenAI semantic conventions, the way an
 * instrumented agent would: invoke_agent → chat (asks for two tools) → two
 * execute_tool spans → chat (answers). `afterEach` lets a test flush between
 * spans so they reach the server in separate requests.
 */
export async function emitAgentRun(tracer: Tracer, afterEach: () => Promise<void> = async () => {}): Promise<AgentRun> {
  const root = tracer.startSpan("invoke_agent weather-agent");
  root.setAttributes({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather-agent", "app.user": "u-42" });
  const first = chatSpan(tracer, root, 1);
  first.end();
  await afterEach();
  const tools = CALLS.map((call) => {
    const span = toolSpan(tracer, root, call);
    span.end();
    return span;
  });
  await afterEach();
  const second = chatSpan(tracer, root, 2);
  second.end();
  await afterEach();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return {
    traceId: root.spanContext().traceId,
    root: root.spanContext().spanId,
    chats: [first, second].map((s) => s.spanContext().spanId),
    tools: tools.map((s) => s.spanContext().spanId),
  };
}
