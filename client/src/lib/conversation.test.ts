import { describe, expect, test } from "bun:test";
import type { Span } from "../api/types.ts";
import { buildConversation } from "./conversation.ts";

let seq = 0;
function span(fields: Partial<Span> & { type: string }): Span {
  seq++;
  return { id: `s${seq}`, span_id: `s${seq}`, trace_id: "t", root_span_id: "t", name: fields.type, metrics: { start: seq, end: seq + 0.5 }, ...fields } as Span;
}
const texts = (turns: { role: string; parts: { kind: string; text?: string }[] }[]) =>
  turns.map((t) => `${t.role}: ${t.parts.map((p) => p.text ?? p.kind).join(" | ")}`);

describe("conversation of a run", () => {
  test("each LLM call adds only the messages past the history it repeats", () => {
    const user = { role: "user", content: "weather in Paris?" };
    const first = { role: "assistant", content: [{ type: "tool_use", id: "tu1", name: "get_weather", input: { city: "Paris" } }] };
    const result = { role: "user", content: [{ type: "tool_result", tool_use_id: "tu1", content: "sunny" }] };
    const conversation = buildConversation([
      span({ type: "llm", input: [user], output: first }),
      span({ type: "tool", name: "get_weather", input: { city: "Paris" }, output: "sunny" }),
      span({ type: "llm", input: [user, first, result], output: { role: "assistant", content: [{ type: "text", text: "It is sunny." }] } }),
    ]);
    expect(texts(conversation.turns)).toEqual(["user: weather in Paris?", "assistant: tool_call", "user: tool_result", "assistant: It is sunny."]);
    expect(conversation.outcomes.get("tu1")?.content).toBe("sunny");
  });

  test("OpenAI tool calls pair with tool messages by tool_call_id", () => {
    const call = { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"id": 7}' } };
    const conversation = buildConversation([
      span({
        type: "llm",
        input: [{ role: "system", content: "be brief" }, { role: "user", content: "find 7" }, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: "call_1", content: "found" }],
        output: { role: "assistant", content: "Found it." },
      }),
    ]);
    const toolCall = conversation.turns[2]!.parts[0]!;
    expect(toolCall).toEqual({ kind: "tool_call", id: "call_1", name: "lookup", input: { id: 7 } });
    expect(conversation.outcomes.get("call_1")?.content).toBe("found");
    expect(conversation.turns.map((t) => t.role)).toEqual(["system", "user", "assistant", "tool", "assistant"]);
  });

  test("a tool call without a result message takes its tool span's output", () => {
    const conversation = buildConversation([
      span({ type: "llm", input: "go", output: { role: "assistant", content: [{ type: "tool_use", id: "tu9", name: "search", input: {} }] } }),
      span({ type: "tool", name: "search", input: {}, output: { hits: 3 } }),
    ]);
    expect(conversation.outcomes.get("tu9")?.content).toEqual({ hits: 3 });
  });

  test("a tool span no call accounts for shows as a tool turn where it ran", () => {
    const conversation = buildConversation([
      span({ type: "llm", input: "hi", output: "hello" }),
      span({ type: "tool", name: "cleanup", input: { all: true }, output: "ok" }),
    ]);
    expect(conversation.turns.map((t) => [t.role, t.toolSpan])).toEqual([
      ["user", false],
      ["assistant", false],
      ["tool", true],
    ]);
  });

  test("a call still running is marked streaming with its partial text", () => {
    const conversation = buildConversation([span({ type: "llm", status: "running", metrics: { start: 1 }, input: "tell me", output: { role: "assistant", content: "Once upon" } })]);
    expect(conversation.turns.at(-1)).toMatchObject({ role: "assistant", streaming: true, parts: [{ kind: "text", text: "Once upon" }] });
  });

  test("thinking blocks and attachments are read, attachments never as URLs", () => {
    const conversation = buildConversation([
      span({
        type: "llm",
        input: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "http://x/y.png" } }, { type: "text", text: "what is this?" }] }],
        output: { role: "assistant", content: [{ type: "thinking", thinking: "hmm" }, { type: "text", text: "a cat" }] },
      }),
    ]);
    expect(conversation.turns[0]!.parts).toEqual([{ kind: "attachment", label: "image" }, { kind: "text", text: "what is this?" }]);
    expect(conversation.turns[1]!.parts[0]).toEqual({ kind: "thinking", text: "hmm" });
  });

  test("a trace without LLM spans falls back to the trace's own input and output", () => {
    const conversation = buildConversation([], { input: [{ role: "user", content: "Hello" }], output: "Hi there!" });
    expect(texts(conversation.turns)).toEqual(["user: Hello", "assistant: Hi there!"]);
  });
});
