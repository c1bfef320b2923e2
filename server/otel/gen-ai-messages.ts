import { isObject as isObj } from "../http/checked.ts";
import { AttrBag, parseMaybeJson, unflatten } from "./attr-bag.ts";
import { message, messageList, toolCallsOf, type OpenAiMessage } from "./openai-message.ts";
import type { OtlpEvent } from "./otlp-types.ts";

export type Conversation = { input?: OpenAiMessage[]; output?: OpenAiMessage };

/** Content that an instrumentation serialised (a JSON list of content blocks) is read back. */
function content(v: unknown): unknown {
  const parsed = parseMaybeJson(v);
  return Array.isArray(parsed) && parsed.every(isObj) ? parsed : v;
}

function systemMessages(v: unknown): OpenAiMessage[] {
  const parsed = parseMaybeJson(v);
  if (parsed === undefined || parsed === null) return [];
  if (Array.isArray(parsed)) {
    const text = parsed.map((p) => (isObj(p) ? (p.content ?? p.text) : p)).filter((t) => typeof t === "string");
    return [message("system", text.join("\n"))];
  }
  return [message("system", parsed)];
}

/** The first assistant message of an output list (choices beyond the first are rare). */
function firstOutput(list: OpenAiMessage[] | undefined): OpenAiMessage | undefined {
  return list?.find((m) => m.role === "assistant") ?? list?.[0];
}

/** Current conventions: gen_ai.input.messages / gen_ai.output.messages / gen_ai.system_instructions. */
function fromStructured(bag: AttrBag): Conversation {
  const input = messageList(bag.take("gen_ai.input.messages"));
  const system = systemMessages(bag.take("gen_ai.system_instructions"));
  const output = firstOutput(messageList(bag.take("gen_ai.output.messages")));
  return { input: input || system.length ? [...system, ...(input ?? [])] : undefined, output };
}

/** OpenLLMetry: gen_ai.prompt.N.role / .content / .tool_calls.M.name, gen_ai.completion.N.… */
function fromIndexed(bag: AttrBag): Conversation {
  const read = (flat: unknown, role: string): OpenAiMessage[] | undefined => {
    if (!Array.isArray(flat)) return undefined;
    return flat.filter(isObj).map((m) =>
      message(typeof m.role === "string" ? m.role : role, content(m.content), {
        tool_calls: toolCallsOf(m.tool_calls),
        tool_call_id: typeof m.tool_call_id === "string" ? m.tool_call_id : undefined,
      }),
    );
  };
  const prompt = read(unflatten(bag.under("gen_ai.prompt")), "user") ?? messageList(bag.take("gen_ai.prompt"));
  const completion = read(unflatten(bag.under("gen_ai.completion")), "assistant") ?? messageList(bag.take("gen_ai.completion"));
  return { input: prompt, output: firstOutput(completion) };
}

const EVENT_ROLES: Record<string, string> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

/** Span events: per-message events (gen_ai.user.message, gen_ai.choice, …) and the older content events. */
function fromEvents(events: OtlpEvent[]): Conversation {
  const input: OpenAiMessage[] = [];
  let output: OpenAiMessage | undefined;
  for (const e of events) {
    const a = e.attributes;
    const role = EVENT_ROLES[e.name];
    if (role) {
      const id = typeof a.id === "string" ? a.id : typeof a.tool_call_id === "string" ? a.tool_call_id : undefined;
      input.push(message(role, content(a.content), { tool_calls: toolCallsOf(parseMaybeJson(a.tool_calls)), tool_call_id: role === "tool" ? id : undefined }));
    } else if (e.name === "gen_ai.choice" && !output) {
      const m = parseMaybeJson(a.message);
      const body = isObj(m) ? m : { content: a.content, tool_calls: a.tool_calls };
      output = message("assistant", content(body.content), { tool_calls: toolCallsOf(parseMaybeJson(body.tool_calls)) });
    } else if (e.name === "gen_ai.content.prompt") {
      input.push(...(messageList(a["gen_ai.prompt"]) ?? []));
    } else if (e.name === "gen_ai.content.completion") {
      output ??= firstOutput(messageList(a["gen_ai.completion"]));
    } else if (e.name === "gen_ai.client.inference.operation.details") {
      const details = fromStructured(new AttrBag(a));
      if (details.input) input.push(...details.input);
      output ??= details.output;
    }
  }
  return { input: input.length ? input : undefined, output };
}

/** The messages of a GenAI-convention span, from whichever place its instrumentation put them. */
export function genAiConversation(bag: AttrBag, events: OtlpEvent[]): Conversation {
  const found = [fromStructured(bag), fromIndexed(bag), fromEvents(events)];
  return {
    input: found.find((c) => c.input)?.input,
    output: found.find((c) => c.output)?.output,
  };
}
