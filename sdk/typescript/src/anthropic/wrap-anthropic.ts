import { patchObject } from "../wrap/patch-object.ts";
import { traceLlmCall } from "../wrap/trace-llm-call.ts";
import { wrapClient } from "../wrap/wrap-client.ts";
import { traceEventStream } from "../wrap/trace-event-stream.ts";
import { messagesCreate, messagesStream } from "./messages.ts";

/**
 * Traces every `messages.create` call (plain and `stream: true`) and the `messages.stream()` helper of an
 * Anthropic client. The client keeps its exact type and behaviour; anything that is not an Anthropic
 * client comes back unwrapped, with one warning.
 *
 * @example
 * initLogger({ projectName: "my-project", baseUrl: "http://localhost:3000" });
 * const client = wrapAnthropic(new Anthropic());
 * const message = await client.messages.create({
 *   model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user", content: "Hello!" }],
 * });
 */
export function wrapAnthropic<T>(client: T): T {
  return wrapClient(client, "wrapAnthropic", "an Anthropic client (from `@anthropic-ai/sdk`)", looksLikeAnthropic, {
    children: {
      messages: (messages) =>
        patchObject(messages, {
          methods: {
            create: (original, target, args) => traceLlmCall(messagesCreate, original, target, args),
            stream: (original, target, args) => traceEventStream(messagesStream, original, target, args),
          },
        }),
    },
  });
}

function looksLikeAnthropic(client: object): boolean {
  const messages = (client as { messages?: { create?: unknown } }).messages;
  return typeof messages?.create === "function";
}
