/**
 * Chat messages as the conversation view draws them, read from either wire
 * shape: OpenAI (role/content/tool_calls/tool_call_id) or Anthropic (content
 * blocks text/tool_use/tool_result/thinking). Pure; no rendering here.
 */
export type Part =
  | { kind: "text"; text: string }
  | { kind: "thinking"; text: string }
  | { kind: "tool_call"; id: string; name: string; input: unknown }
  | { kind: "tool_result"; toolCallId: string; content: unknown; isError: boolean }
  | { kind: "attachment"; label: string }
  /** `dataUrl`: inline bytes, safe to draw; `url`: a remote address, shown as a link and never loaded. */
  | { kind: "image"; dataUrl: string | null; url: string | null }
  | { kind: "error"; message: string; status: number | null }
  | { kind: "data"; value: unknown };

export type ChatMessage = { role: string; parts: Part[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** A span's or trace's input: a message list, a request body, or a bare prompt. */
export function readInputMessages(input: unknown): ChatMessage[] {
  if (input === null || input === undefined) return [];
  if (typeof input === "string") return [{ role: "user", parts: [{ kind: "text", text: input }] }];
  if (Array.isArray(input)) return input.map(readMessage);
  if (isObj(input)) {
    const list = Array.isArray(input.messages) ? input.messages : Array.isArray(input.input) ? input.input : null;
    if (list) {
      const system = input.system === undefined ? [] : [readMessage({ role: "system", content: input.system })];
      return [...system, ...list.map(readMessage)];
    }
    if ("role" in input) return [readMessage(input)];
  }
  return [{ role: "user", parts: [{ kind: "data", value: input }] }];
}

/** A span's or trace's output: an assistant message, a whole provider response, or text. */
export function readOutputMessages(output: unknown): ChatMessage[] {
  if (output === null || output === undefined) return [];
  if (typeof output === "string") return [{ role: "assistant", parts: [{ kind: "text", text: output }] }];
  if (Array.isArray(output)) {
    // OpenAI choices array, or a list of messages / Anthropic content blocks.
    if (output.every((c) => isObj(c) && isObj(c.message))) return output.map((c) => readMessage((c as Obj).message));
    if (output.every((m) => isObj(m) && "role" in m)) return output.map(readMessage);
    return [{ role: "assistant", parts: readContent(output) }];
  }
  if (isObj(output)) {
    if (Array.isArray(output.choices)) return readOutputMessages(output.choices);
    if (isObj(output.message)) return [readMessage(output.message)];
    if ("role" in output || "content" in output || "tool_calls" in output) return [readMessage({ role: "assistant", ...output })];
  }
  return [{ role: "assistant", parts: [{ kind: "data", value: output }] }];
}

export function readMessage(raw: unknown): ChatMessage {
  if (typeof raw === "string") return { role: "user", parts: [{ kind: "text", text: raw }] };
  if (!isObj(raw)) return { role: "user", parts: [{ kind: "data", value: raw }] };
  const role = str(raw.role) || (raw.type === "function_call_output" ? "tool" : "user");
  const parts = readContent(raw.content);
  if (typeof raw.reasoning_content === "string" && raw.reasoning_content) {
    parts.unshift({ kind: "thinking", text: raw.reasoning_content });
  }
  for (const call of Array.isArray(raw.tool_calls) ? raw.tool_calls : []) parts.push(readOpenAiToolCall(call));
  if (isObj(raw.function_call)) parts.push(readOpenAiToolCall({ id: "", function: raw.function_call }));
  if (role === "tool" && typeof raw.tool_call_id === "string") {
    return { role, parts: [{ kind: "tool_result", toolCallId: raw.tool_call_id, content: raw.content, isError: false }] };
  }
  return { role, parts };
}

function readOpenAiToolCall(call: unknown): Part {
  const c = isObj(call) ? call : {};
  const fn = isObj(c.function) ? c.function : {};
  return { kind: "tool_call", id: str(c.id), name: str(fn.name) || "tool", input: parseMaybeJson(fn.arguments) };
}

export function readContent(content: unknown): Part[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content ? [{ kind: "text", text: content }] : [];
  if (!Array.isArray(content)) return [readBlock(content)];
  return content.map(readBlock);
}

function readBlock(block: unknown): Part {
  if (typeof block === "string") return { kind: "text", text: block };
  if (!isObj(block)) return { kind: "data", value: block };
  switch (block.type) {
    case "text":
    case "input_text":
    case "output_text":
      return { kind: "text", text: str(block.text) };
    case "thinking":
      return { kind: "thinking", text: str(block.thinking) };
    case "redacted_thinking":
      return { kind: "thinking", text: "[redacted thinking]" };
    case "tool_use":
    case "server_tool_use":
      return { kind: "tool_call", id: str(block.id), name: str(block.name) || "tool", input: block.input };
    case "tool_result":
      return { kind: "tool_result", toolCallId: str(block.tool_use_id), content: block.content, isError: block.is_error === true };
    case "image":
    case "image_url":
    case "input_image":
      return readImage(block) ?? { kind: "attachment", label: String(block.type) };
    case "document":
    case "input_audio":
    case "file":
      // Never fetched or displayed: captured content must load nothing remote.
      return { kind: "attachment", label: String(block.type) };
  }
  if (typeof block.text === "string") return { kind: "text", text: block.text };
  return { kind: "data", value: block };
}

const DATA_IMAGE = /^data:image\/(png|jpe?g|gif|webp);base64,/i;
const REMOTE = /^https?:\/\//i;

/**
 * An image part in any of the three wire shapes: OpenAI `image_url` ({url}), Anthropic `image`
 * (source base64 or url) and Responses `input_image` (image_url as a string). Only base64 raster
 * images become drawable data: URLs (no SVG: it can carry script); http(s) addresses stay links.
 */
function readImage(block: Obj): Part | null {
  const source = isObj(block.source) ? block.source : null;
  if (source?.type === "base64" && typeof source.data === "string") {
    const media = str(source.media_type) || "image/png";
    return image(`data:${media};base64,${source.data}`);
  }
  const url = source ? str(source.url) : isObj(block.image_url) ? str(block.image_url.url) : str(block.image_url);
  return url ? image(url) : null;
}

function image(address: string): Part | null {
  if (DATA_IMAGE.test(address)) return { kind: "image", dataUrl: address, url: null };
  if (REMOTE.test(address)) return { kind: "image", dataUrl: null, url: address };
  return null;
}

/** Tool results carry their text as a string or as content blocks; shown as text either way. */
export function toolResultText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((b) => isObj(b) && b.type === "text")) {
    return content.map((b) => str((b as Obj).text)).join("\n");
  }
  return null;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    // Streaming arguments are often incomplete JSON until the call ends.
    return value;
  }
}
