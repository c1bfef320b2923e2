import { patchObject } from "../wrap/patch-object.ts";
import { traceEventStream, type EventStreamSpec } from "../wrap/trace-event-stream.ts";
import { traceLlmCall, type LlmCallSpec } from "../wrap/trace-llm-call.ts";
import { wrapClient } from "../wrap/wrap-client.ts";
import { chatCreate, chatParse, chatStream } from "./chat-completions.ts";
import { embeddingsCreate } from "./embeddings.ts";
import { responsesCreate, responsesParse, responsesStream } from "./responses.ts";

const traceWith = (spec: LlmCallSpec) => (original: (...args: unknown[]) => unknown, target: object, args: unknown[]) =>
  traceLlmCall(spec, original, target, args);
const traceStreamWith = (spec: EventStreamSpec) => (original: (...args: unknown[]) => unknown, target: object, args: unknown[]) =>
  traceEventStream(spec, original, target, args);

/**
 * Traces every `chat.completions.create` / `.parse` / `.stream`, `responses.create` / `.parse` / `.stream` and
 * `embeddings.create` call of an openai-node client, streamed or not. The client keeps its exact type
 * and behaviour; anything that is not an OpenAI client comes back unwrapped, with one warning.
 *
 * @example
 * initLogger({ projectName: "my-project", baseUrl: "http://localhost:3000" });
 * const client = wrapOpenAI(new OpenAI());
 * const response = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello!" }] });
 */
export function wrapOpenAI<T>(client: T): T {
  return wrapClient(client, "wrapOpenAI", "an OpenAI client (from the `openai` package)", looksLikeOpenAI, {
    children: {
      chat: (chat) =>
        patchObject(chat, {
          children: {
            completions: (completions) =>
              patchObject(completions, {
                methods: { create: traceWith(chatCreate), parse: traceWith(chatParse), stream: traceStreamWith(chatStream) },
              }),
          },
        }),
      responses: (responses) =>
        patchObject(responses, {
          methods: { create: traceWith(responsesCreate), parse: traceWith(responsesParse), stream: traceStreamWith(responsesStream) },
        }),
      embeddings: (embeddings) => patchObject(embeddings, { methods: { create: traceWith(embeddingsCreate) } }),
    },
  });
}

function looksLikeOpenAI(client: object): boolean {
  const chat = (client as { chat?: { completions?: { create?: unknown } } }).chat;
  return typeof chat?.completions?.create === "function";
}
