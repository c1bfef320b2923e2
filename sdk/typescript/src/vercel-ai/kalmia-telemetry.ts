import { startSpan } from "../span/start-span.ts";
import type { RecordingSpan } from "../span/span.ts";
import { warnOnce } from "../util/warn.ts";

// Structural copies of the AI SDK 7 telemetry events this integration reads: `ai` is never imported.
type ModelInfo = { provider?: string; modelId?: string };
type StartEvent = ModelInfo & { callId: string; operationId?: string; functionId?: string; instructions?: unknown; system?: unknown; prompt?: unknown; messages?: unknown };
type ModelCallStart = ModelInfo & { callId: string; instructions?: unknown; messages?: readonly unknown[]; tools?: unknown };
type ContentPart = { type: string; text?: string; toolCallId?: string; toolName?: string; input?: unknown };
type ModelCallEnd = ModelInfo & {
  callId: string;
  finishReason?: unknown;
  usage?: { inputTokens?: number; outputTokens?: number; inputTokenDetails?: { cacheReadTokens?: number } };
  content?: readonly ContentPart[];
  responseId?: string;
  performance?: { timeToFirstOutputMs?: number };
};
type ToolCall = { toolCallId: string; toolName: string; input?: unknown };
type ToolStart = { callId: string; toolCall: ToolCall };
type ToolEnd = { callId: string; toolCall: ToolCall; toolOutput?: { type?: string; output?: unknown; error?: unknown } };
type EndEvent = { callId: string; text?: string; content?: readonly ContentPart[] };

/** The subset of the AI SDK 7 `Telemetry` interface this integration implements. */
export interface KalmiaTelemetry {
  onStart(event: StartEvent): void;
  onLanguageModelCallStart(event: ModelCallStart): void;
  onLanguageModelCallEnd(event: ModelCallEnd): void;
  onToolExecutionStart(event: ToolStart): void;
  onToolExecutionEnd(event: ToolEnd): void;
  onEnd(event: EndEvent): void;
  onError(error: unknown): void;
}

const providerOf = (provider: string | undefined) => (provider ? provider.split(".")[0] : undefined);

/** The system instructions first, then the messages: the input of every llm span (docs/SPANS.md). */
function conversation(instructions: unknown, messages: unknown): unknown[] {
  const list = Array.isArray(messages) ? [...messages] : [];
  if (typeof instructions === "string" && instructions) list.unshift({ role: "system", content: instructions });
  return list;
}

/** The model's answer as one assistant message: its text, and its tool calls in OpenAI's shape. */
function assistantMessage(content: readonly ContentPart[] | undefined) {
  const parts = content ?? [];
  const text = parts.filter((part) => part.type === "text").map((part) => part.text ?? "").join("");
  const toolCalls = parts
    .filter((part) => part.type === "tool-call")
    .map((part) => ({ id: part.toolCallId, type: "function", function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } }));
  return { role: "assistant", content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
}

/**
 * A Vercel AI SDK 7 telemetry integration that sends to Kalmia directly, no OpenTelemetry needed:
 * `registerTelemetry(kalmiaTelemetry())` (or per call, `telemetry: { integrations: kalmiaTelemetry() }`).
 * Each generateText / streamText call is a task span (under the active `traced()` span, if any) holding
 * an llm span per model call (messages, output with tool calls, tokens, time to first token for
 * streams) and a tool span per tool execution. Never throws into the AI SDK.
 *
 * @example
 * initLogger({ projectName: "my-project", baseUrl: "http://localhost:3000" });
 * registerTelemetry(kalmiaTelemetry());
 */
export function kalmiaTelemetry(): KalmiaTelemetry {
  const runs = new Map<string, RecordingSpan>();
  const modelCalls = new Map<string, RecordingSpan>();
  const tools = new Map<string, RecordingSpan>();
  const safely =
    <E>(name: string, handle: (event: E) => void) =>
    (event: E) => {
      try {
        handle(event);
      } catch (error) {
        warnOnce(`ai-telemetry-${name}`, `kalmiaTelemetry could not record ${name}: ${String(error)}`);
      }
    };
  return {
    onStart: safely("onStart", (event: StartEvent) => {
      if (event.operationId && !/generateText|streamText/.test(event.operationId)) return;
      const input = conversation(event.instructions ?? event.system, event.messages ?? (typeof event.prompt === "string" ? [{ role: "user", content: event.prompt }] : event.prompt));
      runs.set(event.callId, startSpan({ name: event.functionId ?? event.operationId ?? "ai.generateText", type: "task", input, metadata: { provider: providerOf(event.provider), model: event.modelId } }));
    }),
    onLanguageModelCallStart: safely("onLanguageModelCallStart", (event: ModelCallStart) => {
      const span = startSpan({
        name: `${event.provider ?? "ai"} ${event.modelId ?? "model"}`,
        type: "llm",
        parent: runs.get(event.callId),
        input: conversation(event.instructions, event.messages),
        metadata: { provider: providerOf(event.provider), model: event.modelId, ...(event.tools ? { tools: event.tools } : {}) },
      });
      modelCalls.set(event.callId, span);
    }),
    onLanguageModelCallEnd: safely("onLanguageModelCallEnd", (event: ModelCallEnd) => {
      const span = modelCalls.get(event.callId);
      if (!span) return;
      modelCalls.delete(event.callId);
      const ttft = event.performance?.timeToFirstOutputMs;
      span.end({
        output: assistantMessage(event.content),
        metadata: { finish_reason: event.finishReason, response_id: event.responseId },
        metrics: {
          prompt_tokens: event.usage?.inputTokens,
          completion_tokens: event.usage?.outputTokens,
          prompt_cached_tokens: event.usage?.inputTokenDetails?.cacheReadTokens,
          ...(typeof ttft === "number" ? { time_to_first_token: ttft / 1000 } : {}),
        },
      });
    }),
    onToolExecutionStart: safely("onToolExecutionStart", (event: ToolStart) => {
      const span = startSpan({ name: event.toolCall.toolName, type: "tool", parent: runs.get(event.callId), input: event.toolCall.input, metadata: { tool_call_id: event.toolCall.toolCallId } });
      tools.set(event.toolCall.toolCallId, span);
    }),
    onToolExecutionEnd: safely("onToolExecutionEnd", (event: ToolEnd) => {
      const span = tools.get(event.toolCall.toolCallId);
      if (!span) return;
      tools.delete(event.toolCall.toolCallId);
      const outcome = event.toolOutput;
      span.end(outcome?.type === "tool-error" ? { error: outcome.error } : { output: outcome?.output });
    }),
    onEnd: safely("onEnd", (event: EndEvent) => {
      const span = runs.get(event.callId);
      if (!span) return;
      runs.delete(event.callId);
      span.end({ output: event.text !== undefined ? { role: "assistant", content: event.text } : assistantMessage(event.content) });
    }),
    onError: safely("onError", (event: unknown) => {
      const { callId, error } = (event ?? {}) as { callId?: string; error?: unknown };
      const failure = error ?? event;
      // An error naming its call ends that call's open spans; one naming none ends every open span.
      for (const open of [modelCalls, tools, runs]) {
        for (const [key, span] of open) {
          if (callId !== undefined && open !== tools && key !== callId) continue;
          span.end({ error: failure });
          open.delete(key);
        }
      }
    }),
  };
}
