"""OpenAI `usage` objects (chat, responses, embeddings) as span metrics."""
from __future__ import annotations

from typing import Any, Dict

from ._llm_request import nested, token_metrics


def openai_usage_metrics(usage: Any) -> Dict[str, Any]:
    if usage is None:
        return {}
    # Chat and embeddings say prompt/completion; the Responses API says input/output.
    prompt = nested(usage, "prompt_tokens")
    if prompt is None:
        prompt = nested(usage, "input_tokens")
    completion = nested(usage, "completion_tokens")
    if completion is None:
        completion = nested(usage, "output_tokens")
    cached = nested(usage, "prompt_tokens_details", "cached_tokens")
    if cached is None:
        cached = nested(usage, "input_tokens_details", "cached_tokens")
    return token_metrics(prompt, completion, cached, nested(usage, "total_tokens"))
