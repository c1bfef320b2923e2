"""Assembles the assistant message from Anthropic's raw stream events
(message_start, content_block_start/delta/stop, message_delta, message_stop)."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from ._anthropic_usage import anthropic_usage_metrics
from ._llm_result import LlmResult
from ._serialize import to_jsonable


def _start_block(block: Any) -> Dict[str, Any]:
    # Read the few fields that deltas extend; model_dump here would cost more than the whole event.
    kind = getattr(block, "type", None)
    if kind == "text":
        return {"type": "text", "text": block.text}
    if kind == "tool_use":
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}
    if kind == "thinking":
        return {"type": "thinking", "thinking": block.thinking, "signature": getattr(block, "signature", "")}
    dumped = to_jsonable(block)
    return dumped if isinstance(dumped, dict) else {"type": str(kind)}


class AnthropicStreamAssembler:
    def __init__(self) -> None:
        self._blocks: Dict[int, Dict[str, Any]] = {}
        self._json: Dict[int, List[str]] = {}
        self._usage: Dict[str, Any] = {}
        self._stop_reason: Optional[str] = None
        self._model: Optional[str] = None

    def feed(self, event: Any) -> bool:
        """Takes one event; True when it carried generated content (for time to first token)."""
        kind = getattr(event, "type", None)
        if kind == "content_block_delta":
            self._delta(event.index, event.delta)
            return True
        elif kind == "content_block_start":
            self._blocks[event.index] = _start_block(event.content_block)
        elif kind == "message_start":
            message = event.message
            self._model = getattr(message, "model", None)
            self._merge_usage(getattr(message, "usage", None))
        elif kind == "message_delta":
            self._stop_reason = getattr(event.delta, "stop_reason", None) or self._stop_reason
            self._merge_usage(getattr(event, "usage", None))
        return False

    def _delta(self, index: int, delta: Any) -> None:
        block = self._blocks.setdefault(index, {"type": "text", "text": ""})
        kind = getattr(delta, "type", None)
        if kind == "text_delta":
            block["text"] = block.get("text", "") + delta.text
        elif kind == "input_json_delta":
            self._json.setdefault(index, []).append(delta.partial_json)
        elif kind == "thinking_delta":
            block["thinking"] = block.get("thinking", "") + delta.thinking
        elif kind == "signature_delta":
            block["signature"] = delta.signature

    def _merge_usage(self, usage: Any) -> None:
        if usage is None:
            return
        for key in ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"):
            value = getattr(usage, key, None)
            if value is not None:
                self._usage[key] = value

    def result(self) -> LlmResult:
        for index, parts in self._json.items():
            text = "".join(parts)
            try:
                self._blocks[index]["input"] = json.loads(text) if text else {}
            except ValueError:
                self._blocks[index]["input"] = text  # cut off mid-stream: keep what arrived
        content = [self._blocks[i] for i in sorted(self._blocks)]
        metadata: Dict[str, Any] = {"stop_reason": self._stop_reason}
        if self._model:
            metadata["response_model"] = self._model
        return LlmResult({"role": "assistant", "content": content}, metadata, anthropic_usage_metrics(self._usage))
