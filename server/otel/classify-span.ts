import type { SpanType } from "../../db/write/span-row.ts";
import type { AttrBag } from "./attr-bag.ts";

const OPENINFERENCE: Record<string, SpanType> = {
  LLM: "llm",
  EMBEDDING: "llm",
  TOOL: "tool",
  AGENT: "task",
  CHAIN: "task",
  RETRIEVER: "function",
  RERANKER: "function",
  GUARDRAIL: "function",
  EVALUATOR: "function",
};

const GEN_AI_OPERATIONS: Record<string, SpanType> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  embeddings: "llm",
  execute_tool: "tool",
  invoke_agent: "task",
  create_agent: "task",
};

const TRACELOOP: Record<string, SpanType> = { workflow: "task", agent: "task", task: "function", tool: "tool" };

/**
 * Decides which Kalmia span type an OTel span is, from the first convention
 * it follows: OpenInference's span kind, GenAI's operation name, OpenLLMetry's
 * span kind, the Vercel AI SDK's operation id, then the mere presence of a
 * model. Anything else is a task at the root and a function below it.
 */
export function classifySpan(bag: AttrBag, isRoot: boolean): SpanType {
  const oi = bag.text("openinference.span.kind");
  if (oi && OPENINFERENCE[oi.toUpperCase()]) return OPENINFERENCE[oi.toUpperCase()]!;
  const op = bag.text("gen_ai.operation.name");
  if (op && GEN_AI_OPERATIONS[op]) return GEN_AI_OPERATIONS[op]!;
  const tl = bag.text("traceloop.span.kind");
  if (tl && TRACELOOP[tl]) return TRACELOOP[tl]!;
  const ai = bag.text("ai.operationId");
  if (ai === "ai.toolCall") return "tool";
  if (ai && /\.do(Generate|Stream)$|^ai\.embed(Many)?\.doEmbed$/.test(ai)) return "llm";
  if (ai) return isRoot ? "task" : "function";
  if (bag.has("gen_ai.request.model") || bag.has("gen_ai.response.model") || bag.has("llm.model_name")) return "llm";
  if (bag.has("gen_ai.tool.name")) return "tool";
  return isRoot ? "task" : "function";
}
