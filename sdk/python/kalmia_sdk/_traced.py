"""`traced`: a decorator (with or without arguments) and a sync/async context manager."""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

from ._context import _current
from ._span import Span
from ._span_exit import end_span
from ._traced_functions import trace_function


class _Traced:
    __slots__ = ("name", "span_type", "_open")

    def __init__(self, name: Optional[str], span_type: str) -> None:
        self.name = name
        self.span_type = span_type
        self._open: List[Tuple[Span, Any]] = []

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        return trace_function(fn, self.name or _function_name(fn), self.span_type)

    def __enter__(self) -> Span:
        span = Span(self.name or "span", self.span_type, _current.get())
        self._open.append((span, _current.set(span)))
        return span

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> None:
        span, token = self._open.pop()
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


def _function_name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", None) or type(fn).__name__


def traced(
    fn: Any = None,
    *,
    name: Optional[str] = None,
    span_type: str = "function",
    type: Optional[str] = None,
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

    The input is the function's arguments by name, the output its return value (the yielded
    items for a generator). An exception is recorded on the span and re-raised unchanged.
    """
    kind = type or span_type
    if isinstance(fn, str) and name is None:
        return _Traced(fn, kind)
    if fn is not None and callable(fn):
        return trace_function(fn, name or _function_name(fn), kind)
    return _Traced(name, kind)
