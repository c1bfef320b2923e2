"""Anthropic `messages.create` / `messages.stream`: request and message as span fields."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ._anthropic_stream import AnthropicStreamAssembler
from ._anthropic_usage import anthropic_usage_metrics
from ._llm_request import given, request_metadata
from ._llm_result import LlmResult


class AnthropicMessages:
    provider = "anthropic"

    def __init__(self, span_name: str) -> None:
        self.span_name = span_name

    def request(self, kwargs: Dict[str, Any]) -> Tuple[Any, Dict[str, Any]]:
        messages: List[Any] = []
        system = given(kwargs, "system")
        if system:
            messages.append({"role": "system", "content": system})
        conversation = given(kwargs, "messages")
        if isinstance(conversation, (list, tuple)):
            messages.extend(conversation)
        elif conversation is not None:
            # Any other iterable is the provider's to consume, not ours: recorded as it is.
            messages.append(conversation)
        return messages, request_metadata("anthropic", kwargs, ("messages", "system"))

    def result(self, message: Any) -> LlmResult:
        output = {"role": getattr(message, "role", "assistant"), "content": getattr(message, "content", None)}
        metadata: Dict[str, Any] = {"stop_reason": getattr(message, "stop_reason", None)}
        response_model = getattr(message, "model", None)
        if response_model:
            metadata["response_model"] = response_model
        return LlmResult(output, metadata, anthropic_usage_metrics(getattr(message, "usage", None)))

    def assembler(self) -> AnthropicStreamAssembler:
        return AnthropicStreamAssembler()
