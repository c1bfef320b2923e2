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

  test("thinking blocks and images are read; a remote image is kept as an address to link, not to load", () => {
    const conversation = buildConversation([
      span({
        type: "llm",
        input: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "http://x/y.png" } }, { type: "text", text: "what is this?" }] }],
        output: { role: "assistant", content: [{ type: "thinking", thinking: "hmm" }, { type: "text", text: "a cat" }] },
      }),
    ]);
    expect(conversation.turns[0]!.parts).toEqual([{ kind: "image", dataUrl: null, url: "http://x/y.png" }, { kind: "text", text: "what is this?" }]);
    expect(conversation.turns[1]!.parts[0]).toEqual({ kind: "thinking", text: "hmm" });
  });

  test("a trace without LLM spans falls back to the trace's own input and output", () => {
    const conversation = buildConversation([], { input: [{ role: "user", content: "Hello" }], output: "Hi there!" });
    expect(texts(conversation.turns)).toEqual(["user: Hello", "assistant: Hi there!"]);
  });

  test("base64 images in the three wire shapes become drawable data: URLs; SVG does not", () => {
    const png = "iVBORw0KGgo=";
    const conversation = buildConversation([
      span({
        type: "llm",
        input: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
              { type: "image", source: { type: "base64", media_type: "image/jpeg", data: png } },
              { type: "input_image", image_url: `data:image/webp;base64,${png}` },
              { type: "image_url", image_url: { url: "data:image/svg+xml;base64,PHN2Zz4=" } },
            ],
          },
        ],
        output: "ok",
      }),
    ]);
    expect(conversation.turns[0]!.parts).toEqual([
      { kind: "image", dataUrl: `data:image/png;base64,${png}`, url: null },
      { kind: "image", dataUrl: `data:image/jpeg;base64,${png}`, url: null },
      { kind: "image", dataUrl: `data:image/webp;base64,${png}`, url: null },
      { kind: "attachment", label: "image_url" },
    ]);
  });

  test("a failed LLM call answers with its error message and HTTP status", () => {
    const conversation = buildConversation([
      span({ type: "llm", status: "error", input: "hi", error: { message: "Rate limit reached" }, metadata: { http_status: 429 } }),
    ]);
    expect(conversation.turns.at(-1)!.parts).toEqual([{ kind: "error", message: "Rate limit reached", status: 429 }]);
  });

  test("a failed tool span marks its result as an error even when the message sent back looks fine", () => {
    const call = { id: "call_sql", type: "function", function: { name: "run_sql", arguments: "{}" } };
    const conversation = buildConversation([
      span({ type: "llm", input: "count users", output: { role: "assistant", content: null, tool_calls: [call] } }),
      span({ type: "tool", name: "run_sql", status: "error", error: "relation \"users\" does not exist" }),
      span({ type: "llm", input: ["count users", { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: "call_sql", content: "ERROR" }], output: "Sorry." }),
    ]);
    expect(conversation.outcomes.get("call_sql")).toMatchObject({ isError: true, content: "ERROR" });
  });

  test("a job's input and output that are not chat are shown as Input and Output", () => {
    const conversation = buildConversation([], { input: { shard: 7 }, output: { rows: 120 } });
    expect(conversation.turns.map((t) => [t.role, t.parts[0]])).toEqual([
      ["input", { kind: "data", value: { shard: 7 } }],
      ["output", { kind: "data", value: { rows: 120 } }],
    ]);
  });
});
