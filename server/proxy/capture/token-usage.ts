/** Token counts as the proxy records them; `prompt` includes the cached share. */
export type TokenUsage = {
  prompt: number;
  completion: number;
  /** Prompt tokens read from a cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cachedRead?: number;
  /** Prompt tokens written to a cache (Anthropic cache_creation_input_tokens). */
  cacheWrite?: number;
};
