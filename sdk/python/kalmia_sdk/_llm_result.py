"""What a finished LLM call adds to its span."""
from __future__ import annotations

from typing import Any, Dict, NamedTuple


class LlmResult(NamedTuple):
    output: Any
    metadata: Dict[str, Any]
    metrics: Dict[str, Any]
    error: Any = None  # a failure the provider reported inside a successful answer
