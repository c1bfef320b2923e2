import { expect, test } from "bun:test";
import type { EventSourceMessage } from "eventsource-parser";
import { OddEvent } from "./assembled.ts";
import { messagesStreamAssembler } from "./anthropic-messages.ts";
import { chatStreamAssembler } from "./openai-chat.ts";
import { responsesStreamAssembler } from "./openai-responses.ts";

const event = (data: unknown, name?: string): EventSourceMessage => ({ event: name, data: typeof data === "string" ? data : JSON.stringify(data), id: undefined });
const chunk = (delta: object, extra: object = {}) => event({ model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: null }], ...extra });

test("interleaved argument deltas of parallel chat tool calls are assembled by index", () => {
  const assembler = chatStreamAssembler();
  assembler.push(chunk({ role: "assistant", tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "" } }] }));
  assembler.push(chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "g", arguments: '{"x"' } }] }));
  assembler.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"y":1}' } }] }));
  assembler.push(chunk({ tool_calls: [{ index: 1, function: { arguments: ":2}" } }] }));
  assembler.push(event({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } } }));
  assembler.push(event("[DONE]"));
  const result = assembler.result();
  expect((result.output as any).tool_calls).toEqual([
    { id: "call_a", type: "function", function: { name: "f", arguments: '{"y":1}' } },
    { id: "call_b", type: "function", function: { name: "g", arguments: '{"x":2}' } },
  ]);
  expect(result.usage).toEqual({ prompt: 5, completion: 3, cachedRead: 2, cacheWrite: 0 });
  expect(result.complete).toBe(true);
});

test("an error chunk in a chat stream becomes the assembled error", () => {
  const assembler = chatStreamAssembler();
  assembler.push(chunk({ content: "Hi" }));
  assembler.push(event({ error: { message: "boom", type: "server_error" } }));
  expect(assembler.result()).toMatchObject({ error: { type: "server_error" }, complete: false, output: { content: "Hi" } });
});

test("only content-bearing events count as tokens (for time to first token)", () => {
  const assembler = chatStreamAssembler();
  expect(assembler.push(chunk({ role: "assistant", content: "" }))).toBe(false);
  expect(assembler.push(chunk({ content: "Hi" }))).toBe(true);
});

test("a tool_use cut off mid-JSON keeps the partial input text", () => {
  const assembler = messagesStreamAssembler();
  assembler.push(event({ type: "message_start", message: { model: "claude-x", usage: { input_tokens: 10, output_tokens: 1 } } }));
  assembler.push(event({ type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "f", input: {} } }));
  assembler.push(event({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"city": "To' } }));
  const result = assembler.result();
  expect((result.output as any).content[0]).toEqual({ type: "tool_use", id: "toolu_1", name: "f", input: '{"city": "To' });
  expect(result.complete).toBe(false);
});

test("Anthropic usage: message_delta's non-null counts win over message_start's, cache tokens count in the prompt", () => {
  const assembler = messagesStreamAssembler();
  assembler.push(event({ type: "message_start", message: { model: "claude-x", usage: { input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 } } }));
  assembler.push(event({ type: "ping" }, "ping"));
  assembler.push(event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42, input_tokens: null } }));
  assembler.push(event({ type: "message_stop" }));
  expect(assembler.result()).toMatchObject({ usage: { prompt: 130, completion: 42, cachedRead: 100, cacheWrite: 20 }, finishReason: "end_turn", complete: true });
});

test("a Responses stream cancelled before response.completed keeps the text streamed so far", () => {
  const assembler = responsesStreamAssembler();
  assembler.push(event({ type: "response.created", response: { model: "gpt-4o" } }, "response.created"));
  assembler.push(event({ type: "response.output_text.delta", item_id: "m", delta: "Hel" }, "response.output_text.delta"));
  assembler.push(event({ type: "response.output_text.delta", item_id: "m", delta: "lo" }, "response.output_text.delta"));
  expect(assembler.result()).toMatchObject({ output: { role: "assistant", content: "Hello" }, model: "gpt-4o", complete: false });
});

test("an odd chunk is refused whole: nothing of it is kept, and the chunks after it still assemble", () => {
  const assembler = chatStreamAssembler();
  assembler.push(chunk({ content: "Hi" }));
  expect(() => assembler.push(event({ model: "gpt-4o", choices: "odd", usage: { prompt_tokens: 99, completion_tokens: 99 } }))).toThrow(OddEvent);
  expect(() => assembler.push(chunk({ content: { text: "odd" } }))).toThrow(OddEvent);
  expect(() => assembler.push(event("not json"))).toThrow(OddEvent);
  assembler.push(chunk({ content: " there" }, { usage: { prompt_tokens: 5, completion_tokens: 2 } }));
  expect(assembler.result()).toMatchObject({ output: { content: "Hi there" }, usage: { prompt: 5, completion: 2 } });
});

test("an Anthropic content block at a huge index is odd, not a billion-slot array", () => {
  const assembler = messagesStreamAssembler();
  expect(() => assembler.push(event({ type: "content_block_start", index: 1e9, content_block: { type: "text", text: "" } }))).toThrow(OddEvent);
  expect((assembler.result().output as any).content).toEqual([]);
});
