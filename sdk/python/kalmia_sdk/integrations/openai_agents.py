"""An openai-agents tracing processor: the agents' own spans (agent, model response or generation,
function tool, handoff, guardrail) as one Kalmia trace per agent run.

    from agents import add_trace_processor
    from kalmia_sdk.integrations.openai_agents import KalmiaTracingProcessor
    add_trace_processor(KalmiaTracingProcessor())

`openai-agents` is never imported: the processor reads its traces and spans by their documented
attributes, and tracing never raises into the run.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any, Dict, Optional, Tuple

from .._llm_request import nested, token_metrics
from .._openai_responses import OpenAIResponses
from .._span import Span

_RESPONSES = OpenAIResponses("openai.responses")


class KalmiaTracingProcessor:
    """Implements openai-agents' `TracingProcessor` interface (structurally). A trace becomes the
    root task span; each agent span a task, model calls llm spans, function tools tool spans,
    handoffs and guardrails function spans, nested as the agents nested them.

    Give the agents an unwrapped client: with `wrap_openai` too, each model call is recorded twice."""

    def __init__(self) -> None:
        self._spans: Dict[str, Span] = {}
        self._lock = threading.Lock()

    # --- TracingProcessor -----------------------------------------------------------------------
    def on_trace_start(self, trace: Any) -> None:
        try:
            metadata = {"agents_trace_id": getattr(trace, "trace_id", None)}
            group = getattr(trace, "group_id", None)
            if group:
                metadata["group_id"] = group
            extra = getattr(trace, "metadata", None)
            if isinstance(extra, dict):
                metadata.update(extra)
            self._put(trace.trace_id, Span(getattr(trace, "name", None) or "agent run", "task", None, metadata=metadata))
        except Exception:
            pass

    def on_trace_end(self, trace: Any) -> None:
        try:
            span = self._pop(trace.trace_id)
            if span is not None:
                span.end()
        except Exception:
            pass

    def on_span_start(self, span: Any) -> None:
        try:
            parent = self._get(getattr(span, "parent_id", None)) or self._get(getattr(span, "trace_id", None))
            name, span_type, input_value, metadata = _describe_start(span.span_data)
            start = _seconds(getattr(span, "started_at", None))
            kalmia = Span(name, span_type, parent, metadata=metadata, start=start, **({"input": input_value} if input_value is not None else {}))
            self._put(span.span_id, kalmia)
        except Exception:
            pass

    def on_span_end(self, span: Any) -> None:
        try:
            kalmia = self._pop(span.span_id)
            if kalmia is None:
                return
            _record_end(kalmia, span.span_data)
            error = getattr(span, "error", None)
            end = _seconds(getattr(span, "ended_at", None))
            if error:
                kalmia.log(error=error.get("message") if isinstance(error, dict) else error,
                           metadata={"error_data": error.get("data")} if isinstance(error, dict) and error.get("data") else None)
                kalmia.end("error", end_time=end)
            else:
                kalmia.end(end_time=end)
        except Exception:
            pass

    def shutdown(self) -> None:
        self.force_flush()

    def force_flush(self) -> None:
        try:
            from .._logger import flush

            flush()
        except Exception:
            pass

    # --- bookkeeping ------------------------------------------------------------------------------
    def _put(self, key: Any, span: Span) -> None:
        with self._lock:
            self._spans[key] = span

    def _get(self, key: Any) -> Optional[Span]:
        if key is None:
            return None
        with self._lock:
            return self._spans.get(key)

    def _pop(self, key: Any) -> Optional[Span]:
        with self._lock:
            return self._spans.pop(key, None)


def _describe_start(data: Any) -> Tuple[str, str, Any, Dict[str, Any]]:
    kind = getattr(data, "type", "custom")
    if kind == "agent":
        metadata = {key: getattr(data, key, None) for key in ("tools", "handoffs", "output_type") if getattr(data, key, None)}
        return data.name, "task", None, metadata
    if kind in ("response", "generation"):
        return f"openai.{kind}", "llm", None, {"provider": "openai"}
    if kind == "function":
        return data.name, "tool", None, {}
    if kind == "handoff":
        return f"handoff → {getattr(data, 'to_agent', None)}", "function", None, {"from_agent": data.from_agent, "to_agent": data.to_agent}
    if kind == "guardrail":
        return f"guardrail {data.name}", "function", None, {}
    return getattr(data, "name", None) or kind, "function", None, {}


def _record_end(span: Span, data: Any) -> None:
    kind = getattr(data, "type", None)
    if kind == "response":
        response = getattr(data, "response", None)
        given = getattr(data, "input", None)
        messages = [{"role": "system", "content": nested(response, "instructions")}] if nested(response, "instructions") else []
        messages.extend([{"role": "user", "content": given}] if isinstance(given, str) else list(given or []))
        if response is None:
            span.log(input=messages)
            return
        result = _RESPONSES.result(response)
        model = nested(response, "model")
        span.log(input=messages, output=result.output, metadata={**result.metadata, "model": model}, metrics=result.metrics,
                 **({"error": result.error} if result.error is not None else {}))
    elif kind == "generation":
        output = list(getattr(data, "output", None) or [])
        usage = getattr(data, "usage", None) or {}
        metadata: Dict[str, Any] = {"model": getattr(data, "model", None)}
        config = getattr(data, "model_config", None)
        if isinstance(config, dict):
            metadata.update({key: value for key, value in config.items() if value is not None})
        span.log(
            input=list(getattr(data, "input", None) or []),
            output=output[0] if len(output) == 1 else output,
            metadata=metadata,
            metrics=token_metrics(usage.get("input_tokens"), usage.get("output_tokens")),
        )
    elif kind == "function":
        span.log(input=_maybe_json(getattr(data, "input", None)), output=_maybe_json(getattr(data, "output", None)))
    elif kind == "guardrail":
        span.log(metadata={"triggered": bool(getattr(data, "triggered", False))})
    elif kind == "custom":
        span.log(metadata={"data": getattr(data, "data", None)})


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _seconds(iso: Optional[str]) -> Optional[float]:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
