"""Assembles the assistant message from `chat.completion.chunk` items (first choice)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._llm_result import LlmResult
from ._openai_usage import openai_usage_metrics


class ChatStreamAssembler:
    def __init__(self) -> None:
        self._content: List[str] = []
        self._refusal: List[str] = []
        self._tool_calls: Dict[int, Dict[str, Any]] = {}
        self._finish_reason: Optional[str] = None
        self._usage: Any = None
        self._model: Optional[str] = None
        # Set when the SDK itself asked for usage (`with_stream_usage`): the caller must not see it.
        self.injected_usage = False

    def hides(self, chunk: Any) -> bool:
        """True for the usage-only chunk (`choices: []`) the caller did not ask for. The
        `"usage": null` that the option adds to every other chunk is made unset again, so
        `chunk.to_dict()` / `to_json()` (which leave unset fields out) read as without it."""
        if not self.injected_usage:
            return False
        usage = getattr(chunk, "usage", None)
        if usage is not None and not (getattr(chunk, "choices", None) or []):
            return True
        if usage is None:
            fields_set = getattr(chunk, "__pydantic_fields_set__", None)
            if isinstance(fields_set, set):
                fields_set.discard("usage")
        return False

    def feed(self, chunk: Any) -> bool:
        """Takes one chunk; True when it carried generated content (for time to first token)."""
        produced = False
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self._usage = usage
        if self._model is None:
            self._model = getattr(chunk, "model", None)
        for choice in getattr(chunk, "choices", None) or []:
            if getattr(choice, "index", 0) != 0:
                continue
            delta = choice.delta
            if delta is not None:
                if delta.content:
                    self._content.append(delta.content)
                    produced = True
                refusal = getattr(delta, "refusal", None)
                if refusal:
                    self._refusal.append(refusal)
                    produced = True
                for call in getattr(delta, "tool_calls", None) or []:
                    self._add_tool_call_delta(call)
                    produced = True
            if choice.finish_reason:
                self._finish_reason = choice.finish_reason
        return produced

    def _add_tool_call_delta(self, call: Any) -> None:
        entry = self._tool_calls.get(call.index)
        if entry is None:
            entry = {"id": None, "type": "function", "function": {"name": "", "arguments": ""}}
            self._tool_calls[call.index] = entry
        if call.id:
            entry["id"] = call.id
        function = getattr(call, "function", None)
        if function is not None:
            if function.name:
                entry["function"]["name"] += function.name
            if function.arguments:
                entry["function"]["arguments"] += function.arguments

    def result(self) -> LlmResult:
        message: Dict[str, Any] = {"role": "assistant", "content": "".join(self._content) or None}
        if self._refusal:
            message["refusal"] = "".join(self._refusal)
        if self._tool_calls:
            message["tool_calls"] = [self._tool_calls[i] for i in sorted(self._tool_calls)]
        metadata: Dict[str, Any] = {"finish_reason": self._finish_reason}
        if self._model:
            metadata["response_model"] = self._model
        return LlmResult(message, metadata, openai_usage_metrics(self._usage))
