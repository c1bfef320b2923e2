// Vendor and route prefixes that name where a model runs, not what it is: `openai/gpt-4o`
// (OpenRouter, LiteLLM), `anthropic.claude-…` and `us.anthropic.claude-…` (Bedrock).
const PREFIX = /^(?:[a-z0-9-]+\/)+|^(?:(?:us|eu|apac|global|regional)\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek)\./;
// Snapshot and version suffixes, repeated: `-2024-08-06`, `-20250514`, `-0709`, `-latest`,
// `-v1:0`, `-002`, `@20240620`, `-preview`, and a Claude alias's `-0` (`claude-sonnet-4-0`).
const SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{3}|latest|preview|exp|v\d+(?::\d+)?|0)|:\d+|:[a-z0-9-]+)$/;

/**
 * The family of a model id: what remains once where it runs and which snapshot it is are taken
 * off. `gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-20250514` → `claude-sonnet-4`.
 */
export function familyOf(model: string): string {
  let family = model.trim().toLowerCase().replace(PREFIX, "");
  for (let next = family.replace(SUFFIX, ""); next !== family && next.length > 0; next = family.replace(SUFFIX, "")) family = next;
  return family || model;
}
