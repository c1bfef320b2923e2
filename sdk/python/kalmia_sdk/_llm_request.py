"""Shared pieces of an LLM call's span: request parameters and token metrics."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

from ._serialize import is_not_given

# Transport options of the provider clients: not part of what the model was asked.
_TRANSPORT = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})


def request_metadata(provider: str, kwargs: Dict[str, Any], skip: Iterable[str]) -> Dict[str, Any]:
    """`provider`, `model`, the request parameters and `tools`, leaving out what goes in the input."""
    skipped = _TRANSPORT.union(skip)
    metadata: Dict[str, Any] = {"provider": provider}
    for key, value in kwargs.items():
        if key in skipped or is_not_given(value):
            continue
        metadata[key] = value  # copied once, by the span
    return metadata


def given(kwargs: Dict[str, Any], key: str) -> Any:
    value = kwargs.get(key)
    return None if value is None or is_not_given(value) else value


def token_metrics(
    prompt: Optional[int], completion: Optional[int], cached: Optional[int] = None, total: Optional[int] = None
) -> Dict[str, Any]:
    metrics: Dict[str, Any] = {}
    if isinstance(prompt, int):
        metrics["prompt_tokens"] = prompt
    if isinstance(completion, int):
        metrics["completion_tokens"] = completion
    if isinstance(total, int):
        metrics["tokens"] = total
    elif metrics:
        metrics["tokens"] = metrics.get("prompt_tokens", 0) + metrics.get("completion_tokens", 0)
    if isinstance(cached, int):
        metrics["prompt_cached_tokens"] = cached
    return metrics


def nested(obj: Any, *path: str) -> Any:
    """Read `obj.a.b` or `obj["a"]["b"]`, None when any step is missing."""
    for key in path:
        if obj is None:
            return None
        obj = obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)
    return obj
