"""OpenAI Responses API (`responses.create`, plain and streamed) as span fields."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ._llm_request import given, request_metadata
from ._llm_result import LlmResult
from ._openai_usage import openai_usage_metrics

_FINAL_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


class OpenAIResponses:
    provider = "openai"

    def __init__(self, span_name: str) -> None:
        self.span_name = span_name

    def request(self, kwargs: Dict[str, Any]) -> Tuple[Any, Dict[str, Any]]:
        messages: List[Any] = []
        instructions = given(kwargs, "instructions")
        if instructions:
            messages.append({"role": "system", "content": instructions})
        user_input = given(kwargs, "input")
        if isinstance(user_input, str):
            messages.append({"role": "user", "content": user_input})
        elif isinstance(user_input, (list, tuple)):
            messages.extend(user_input)
        elif user_input is not None:
            messages.append(user_input)  # an iterable the provider will consume: not read here
        return messages, request_metadata("openai", kwargs, ("input", "instructions"))

    def result(self, response: Any) -> LlmResult:
        metadata: Dict[str, Any] = {"response_status": getattr(response, "status", None)}
        response_model = getattr(response, "model", None)
        if response_model:
            metadata["response_model"] = response_model
        output = getattr(response, "output", None)
        error = None
        if metadata["response_status"] in ("failed", "incomplete"):
            # A failed or cut-short response still arrives as a 200 / a completed stream.
            error = getattr(response, "error", None) or getattr(response, "incomplete_details", None)
            error = error if error is not None else metadata["response_status"]
        return LlmResult(output, metadata, openai_usage_metrics(getattr(response, "usage", None)), error)

    def assembler(self) -> "ResponsesStreamAssembler":
        return ResponsesStreamAssembler(self)


class ResponsesStreamAssembler:
    """The final `response.*` event carries the whole response; the text deltas are kept in case
    the stream ends before it."""

    def __init__(self, adapter: OpenAIResponses) -> None:
        self._adapter = adapter
        self._final: Optional[Any] = None
        self._text: List[str] = []

    def feed(self, event: Any) -> bool:
        """Takes one event; True when it carried generated content (for time to first token)."""
        kind = getattr(event, "type", None)
        if kind in _FINAL_EVENTS:
            self._final = getattr(event, "response", None)
        elif kind == "response.output_text.delta":
            self._text.append(getattr(event, "delta", "") or "")
            return True
        return isinstance(kind, str) and kind.endswith(".delta")

    def result(self) -> LlmResult:
        if self._final is not None:
            return self._adapter.result(self._final)
        partial = [{"type": "message", "role": "assistant",
                    "content": [{"type": "output_text", "text": "".join(self._text)}]}]
        return LlmResult(partial, {}, {})
