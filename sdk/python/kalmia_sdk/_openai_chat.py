"""OpenAI chat completions (`create`, `parse`): request and response as span fields."""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from ._llm_request import given, request_metadata
from ._llm_result import LlmResult
from ._openai_chat_stream import ChatStreamAssembler
from ._openai_usage import openai_usage_metrics


class OpenAIChat:
    provider = "openai"

    def __init__(self, span_name: str) -> None:
        self.span_name = span_name

    def request(self, kwargs: Dict[str, Any]) -> Tuple[Any, Dict[str, Any]]:
        return given(kwargs, "messages") or [], request_metadata("openai", kwargs, ("messages",))

    def result(self, completion: Any) -> LlmResult:
        choices = getattr(completion, "choices", None) or []
        if len(choices) == 1:
            output: Any = choices[0].message
        else:
            output = [choice.message for choice in choices]
        metadata: Dict[str, Any] = {}
        if choices:
            metadata["finish_reason"] = getattr(choices[0], "finish_reason", None)
        response_model = getattr(completion, "model", None)
        if response_model:
            metadata["response_model"] = response_model
        return LlmResult(output, metadata, openai_usage_metrics(getattr(completion, "usage", None)))

    def with_stream_usage(self, kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The request to send for a stream that did not ask for usage: the same with
        `stream_options.include_usage`, so the span gets tokens (the proxy does the same). None
        when the caller set `stream_options` themselves or is not streaming: sent as it is."""
        if kwargs.get("stream") is not True or given(kwargs, "stream_options") is not None:
            return None
        return {**kwargs, "stream_options": {"include_usage": True}}

    def assembler(self) -> ChatStreamAssembler:
        return ChatStreamAssembler()
