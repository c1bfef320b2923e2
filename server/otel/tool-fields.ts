import type { AttrBag } from "./attr-bag.ts";

export type ToolFields = { name?: string; input?: unknown; output?: unknown; metadata: Record<string, unknown> };

/**
 * A tool span's name, arguments and result: GenAI (gen_ai.tool.*), the AI SDK
 * (ai.toolCall.*), OpenInference (tool.name with input.value/output.value) and
 * OpenLLMetry (traceloop.entity.*). Arguments and results sent as JSON text
 * are stored as JSON.
 */
export function toolFields(bag: AttrBag): ToolFields {
  const metadata: Record<string, unknown> = {};
  bag.drop("input.mime_type", "output.mime_type");
  const callId = bag.text("gen_ai.tool.call.id", "ai.toolCall.id", "tool_call.id");
  if (callId) metadata.tool_call_id = callId;
  const description = bag.text("gen_ai.tool.description", "tool.description");
  if (description) metadata.description = description;
  const type = bag.text("gen_ai.tool.type");
  if (type) metadata.tool_type = type;
  const parameters = bag.json("tool.parameters");
  if (parameters !== undefined) metadata.parameters = parameters;
  return {
    name: bag.text("gen_ai.tool.name", "ai.toolCall.name", "tool.name", "traceloop.entity.name"),
    input: bag.json("gen_ai.tool.call.arguments", "ai.toolCall.args", "ai.toolCall.input", "input.value", "traceloop.entity.input"),
    output: bag.json("gen_ai.tool.call.result", "ai.toolCall.result", "ai.toolCall.output", "output.value", "traceloop.entity.output"),
    metadata,
  };
}

/** Input and output of other spans (chains, agents, workflows), where a convention records them. */
export function genericIO(bag: AttrBag): { input?: unknown; output?: unknown } {
  bag.drop("input.mime_type", "output.mime_type");
  return {
    input: bag.json("input.value", "traceloop.entity.input", "ai.prompt"),
    output: bag.json("output.value", "traceloop.entity.output", "ai.response.text"),
  };
}
