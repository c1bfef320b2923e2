// Structural copies of the Anthropic SDK shapes the SDK reads; the package is never imported at run time.

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

export interface ContentBlock {
  type: string;
  text?: string;
  input?: unknown;
  thinking?: string;
  signature?: string;
  citations?: unknown[];
  [key: string]: unknown;
}

export interface AnthropicMessage {
  id?: string;
  model?: string;
  role?: string;
  content?: ContentBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage | null;
}

export interface RawStreamEvent {
  type?: string;
  index?: number;
  message?: AnthropicMessage;
  content_block?: ContentBlock;
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    signature?: string;
    citation?: unknown;
    stop_reason?: string | null;
    stop_sequence?: string | null;
  };
  usage?: AnthropicUsage | null;
}
