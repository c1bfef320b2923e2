"""Opening and closing the `llm` span of one provider call."""
from __future__ import annotations

from typing import Any, Dict, Optional

from ._context import parent_span
from ._llm_result import LlmResult
from ._span import Span
from ._span_exit import end_span


def start_llm_span(adapter: Any, kwargs: Dict[str, Any]) -> Optional[Span]:
    """None when the request cannot be described: the call then goes ahead untraced.
    The adapter hands back the caller's own objects; `Span` copies them, once."""
    try:
        messages, metadata = adapter.request(kwargs)
        return Span(adapter.span_name, "llm", parent_span(), input=messages, metadata=metadata)
    except Exception:
        return None


def finish_llm_span(span: Span, result: Optional[LlmResult], status: Optional[str] = None) -> None:
    try:
        if result is not None:
            span._record(result.output, result.metadata, result.metrics)
            if result.error is not None:
                span.log(error=result.error)
                status = "error"
    finally:
        span.end(status)


def fail_llm_span(span: Span, exc: BaseException) -> None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        span.log(metadata={"status_code": status})
    end_span(span, exc)
