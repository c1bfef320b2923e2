"""Anthropic's `messages.stream(...)` returns a manager that sends the request only on
`__enter__` / `__aenter__`, through a private deferred request. That request is traced in place,
so the manager, the `MessageStream` it yields (`text_stream`, events, `get_final_message()`) and
their types stay the provider's own."""
from __future__ import annotations

import functools
import inspect
from typing import Any, Optional

from ._wrap_call import wrap_async_call, wrap_sync_call


class _Deferred:
    __slots__ = ("_make",)

    def __init__(self, make: Any) -> None:
        self._make = make

    def __await__(self) -> Any:
        return self._make().__await__()


def patch_stream_method(messages: Any, adapter: Any) -> None:
    original = getattr(messages, "stream", None)
    if not callable(original) or getattr(original, "__kalmia_wrapped__", False):
        return

    @functools.wraps(original)
    def stream(*args: Any, **kwargs: Any) -> Any:
        manager = original(*args, **kwargs)
        try:
            _trace_manager(manager, adapter, kwargs)
        except Exception:
            pass
        return manager

    stream.__kalmia_wrapped__ = True  # type: ignore[attr-defined]
    messages.stream = stream


def _request_attribute(manager: Any) -> Optional[str]:
    # Name-mangled (`_MessageStreamManager__api_request`); found by suffix, not by class name.
    for name in vars(manager):
        if name.endswith("__api_request"):
            return name
    return None


def _trace_manager(manager: Any, adapter: Any, kwargs: Any) -> None:
    name = _request_attribute(manager)
    if name is None:
        return
    request = getattr(manager, name)
    if inspect.isawaitable(request):
        # The async manager holds an un-awaited coroutine; hand it a traced one in its place,
        # made only when awaited (a manager never entered then warns only as it always did).
        setattr(manager, name, _Deferred(wrap_async_call(lambda: request, adapter, kwargs)))
    elif callable(request):
        setattr(manager, name, wrap_sync_call(request, adapter, kwargs))
