"""Anthropic `usage` as span metrics. Anthropic's `input_tokens` leaves out cache reads and
writes; prompt_tokens here counts every token the prompt was made of."""
from __future__ import annotations

from typing import Any, Dict

from ._llm_request import nested, token_metrics


def anthropic_usage_metrics(usage: Any) -> Dict[str, Any]:
    if usage is None:
        return {}
    fresh = nested(usage, "input_tokens")
    cache_read = nested(usage, "cache_read_input_tokens")
    cache_write = nested(usage, "cache_creation_input_tokens")
    prompt = None
    if isinstance(fresh, int):
        prompt = fresh + (cache_read or 0) + (cache_write or 0)
    metrics = token_metrics(prompt, nested(usage, "output_tokens"), cache_read)
    if isinstance(cache_write, int):
        metrics["prompt_cache_creation_tokens"] = cache_write
    return metrics
