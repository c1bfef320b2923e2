import type { BodyIds } from "./ids.ts";
import type { Scenario } from "./scenario.ts";

/** One request as each provider module sees it. */
export type FakeCall = {
  // Request bodies are whatever the client sent; each provider module reads only what it knows.
  body: any;
  ids: BodyIds;
  scenario: Scenario;
  signal: AbortSignal;
  requestId: string;
  /** The path's last segment, for routes keyed `…/:id` (a model's id). */
  id: string;
};

/** Text of a message `content`: a string, or an array of parts with `text`. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part?.text === "string" ? part.text : textOf(part?.content))).join("");
}
