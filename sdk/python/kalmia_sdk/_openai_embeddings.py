"""OpenAI embeddings as span fields: the vectors' count and size, not the vectors."""
from __future__ import annotations

from typing import Any, Dict, Tuple

from ._llm_request import given, request_metadata
from ._llm_result import LlmResult
from ._openai_usage import openai_usage_metrics


class OpenAIEmbeddings:
    provider = "openai"
    span_name = "openai.embeddings.create"

    def request(self, kwargs: Dict[str, Any]) -> Tuple[Any, Dict[str, Any]]:
        # `kind` tells an embedding span from a chat one; the proxy records the same.
        return given(kwargs, "input"), {**request_metadata("openai", kwargs, ("input",)), "kind": "embedding"}

    def result(self, response: Any) -> LlmResult:
        data = getattr(response, "data", None) or []
        output: Dict[str, Any] = {"embeddings": len(data)}
        if data:
            vector = getattr(data[0], "embedding", None)
            if vector is not None:
                output["dimensions"] = len(vector)
        return LlmResult(output, {}, openai_usage_metrics(getattr(response, "usage", None)))

    def assembler(self) -> None:
        return None
