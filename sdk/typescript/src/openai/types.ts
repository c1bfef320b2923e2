// Structural copies of the openai-node shapes the SDK reads. Only what is read is declared, so any
// openai-node version with these fields works, and the package is never imported at run time.

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ChatToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatMessage {
  role: string;
  content: unknown;
  refusal?: string | null;
  tool_calls?: ChatToolCall[];
  [key: string]: unknown;
}

export interface ChatCompletion {
  id?: string;
  model?: string;
  choices?: { index?: number; message?: ChatMessage; finish_reason?: string | null }[];
  usage?: OpenAIUsage | null;
}

export interface ChatCompletionChunk {
  id?: string;
  model?: string;
  choices?: {
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      refusal?: string | null;
      tool_calls?: (ChatToolCall & { index?: number })[];
    };
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
}

export interface ResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ResponseObject {
  id?: string;
  model?: string;
  status?: string;
  output?: unknown[];
  output_text?: string;
  error?: unknown;
  incomplete_details?: unknown;
  usage?: ResponsesUsage | null;
}

export interface ResponseStreamEvent {
  type?: string;
  delta?: string;
  response?: ResponseObject;
}

export interface EmbeddingResponse {
  model?: string;
  data?: { embedding?: unknown }[];
  usage?: { prompt_tokens?: number; total_tokens?: number } | null;
}
