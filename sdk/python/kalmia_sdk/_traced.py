"""`traced`: a decorator (with or without arguments) and a sync/async context manager."""
from __future__ import annotations

import warnings
from typing import Any, Callable, Dict, Optional, Tuple

from ._context import _current
from ._span import Span
from ._span_exit import end_span
from ._trace_context import context_fields
from ._traced_functions import trace_function


class _Traced:
    __slots__ = ("name", "span_type", "_open", "context", "metadata")

    def __init__(self, name: Optional[str], span_type: str, context: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None) -> None:
        self.name = name
        self.span_type = span_type
        self.context = context
        self.metadata = metadata
        # Open spans of this object used as a context manager, by span id. One `traced(...)`
        # object may be entered by several threads or tasks at once; each exit finds its own
        # span as the current one of its context.
        self._open: Dict[str, Tuple[Span, Any]] = {}

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        return trace_function(fn, self.name or _function_name(fn), self.span_type, self.context, self.metadata)

    def __enter__(self) -> Span:
        span = Span(self.name or "span", self.span_type, _current.get(), metadata=self.metadata, context=self.context)
        self._open[span.id] = (span, _current.set(span))
        return span

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> None:
        current = _current.get()
        entry = self._open.pop(current.id, None) if current is not None else None
        if entry is None:
            if not self._open:
                return
            entry = self._open.popitem()[1]  # exited out of order: end the latest still open
        span, token = entry
        try:
            _current.reset(token)
        except ValueError:
            # Exited in another context than it was entered in; the span still ends.
            pass
        end_span(span, exc)

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> None:
        self.__exit__(exc_type, exc, tb)


SPAN_TYPES = ("llm", "tool", "task", "function")


def _known_type(kind: str) -> str:
    # The server refuses a row with any other type, which would lose the span: keep it, as a
    # function span, and say so once.
    if kind in SPAN_TYPES:
        return kind
    warnings.warn(f"kalmia_sdk: span_type={kind!r} is not one of {', '.join(SPAN_TYPES)}; using 'function'", stacklevel=3)
    return "function"


def _function_name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", None) or type(fn).__name__


def traced(
    fn: Any = None,
    *,
    name: Optional[str] = None,
    span_type: str = "function",
    type: Optional[str] = None,
    user_id: Any = None,
    session_id: Any = None,
    tags: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
) -> Any:
    """Trace a function or a block as a span; calls inside it nest under it.

    As a decorator on def, async def, generators and async generators::

        @traced
        def plan(goal): ...

        @traced(name="weather-agent")
        async def run_agent(prompt): ...

    As a context manager, typically for tool calls::

        with traced(name="get_weather", span_type="tool") as span:
            span.log(input={"city": "Paris"}, output=lookup("Paris"))

    Who the run is for, which conversation it belongs to, its labels and your own keys go on the
    trace (its spans inherit them; `span.log(...)` can set them later)::

        @traced(name="support-bot", user_id="u-42", session_id="chat-7", tags=["prod"], metadata={"tenant": "acme"})
        def answer(question): ...

    The input is the function's arguments by name, the output its return value (the yielded
    items for a generator). An exception is recorded on the span and re-raised unchanged.
    """
    kind = _known_type(type or span_type)
    context = context_fields(user_id, session_id, tags) or None
    if metadata is not None and not isinstance(metadata, dict):
        metadata = None
    if isinstance(fn, str) and name is None:
        return _Traced(fn, kind, context, metadata)
    if fn is not None and callable(fn):
        return trace_function(fn, name or _function_name(fn), kind, context, metadata)
    return _Traced(name, kind, context, metadata)
