"""Which span is current: a `contextvars` variable, so nesting follows asyncio tasks and
`asyncio.gather`, and threads started through `ContextThread` / `bind_context`."""
from __future__ import annotations

import contextvars
import functools
import threading
from typing import Any, Callable, Optional, TypeVar, Union

from ._span import NOOP_SPAN, NoopSpan, Span

_current: contextvars.ContextVar[Optional[Span]] = contextvars.ContextVar("kalmia_current_span", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def current_span() -> Union[Span, NoopSpan]:
    """The innermost open span of this context, or a no-op span whose methods do nothing.

    >>> current_span().log(metadata={"user_id": "u-1"})  # doctest: +SKIP
    """
    span = _current.get()
    return NOOP_SPAN if span is None else span


def parent_span() -> Optional[Span]:
    return _current.get()


def bind_context(fn: F) -> F:
    """Run `fn` later, anywhere (a thread pool, a callback), inside the context of this call, so
    spans it opens nest under the span that is current now.

    >>> executor.submit(bind_context(fetch_page), url)  # doctest: +SKIP
    """
    context = contextvars.copy_context()

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        # A fresh copy per call: one Context cannot be entered by two threads at once.
        return context.copy().run(fn, *args, **kwargs)

    return run  # type: ignore[return-value]


class ContextThread(threading.Thread):
    """A `threading.Thread` that runs in a copy of the context it was created in (plain threads
    start from an empty context before Python 3.14).

    >>> ContextThread(target=call_tool, args=("weather",)).start()  # doctest: +SKIP
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kalmia_context = contextvars.copy_context()

    def run(self) -> None:
        self._kalmia_context.run(super().run)
