"""A provider method, traced: one `llm` span per call. Sync and async twins.

`request` stands in for the call's keyword arguments when the function traced is a deferred
request that takes none (Anthropic's `messages.stream()` managers).

The wrapper returns exactly what the provider returned: the parsed model, the provider's own
stream object (observed in place), or the raw-response object of `with_raw_response`.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, Optional

from ._llm_span import fail_llm_span, finish_llm_span, start_llm_span
from ._span import Span
from ._stream import StreamRecorder, observe_async_stream, observe_stream


def wrap_sync_call(fn: Callable[..., Any], adapter: Any, request: Optional[Dict[str, Any]] = None) -> Callable[..., Any]:
    @functools.wraps(fn)
    def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = start_llm_span(adapter, kwargs if request is None else request)
        if span is None:
            return fn(*args, **kwargs)
        sent = _with_stream_usage(adapter, kwargs)
        try:
            result = fn(*args, **(sent or kwargs))
        except BaseException as exc:
            fail_llm_span(span, exc)
            raise
        if inspect.isawaitable(result):
            # An async method behind a decorator that hid it: finish the span when it is awaited.
            return _settle_later(span, adapter, result, kwargs, sent is not None)
        try:
            value = _parsed_value(result)
            _settle(span, adapter, value, observe_stream, sent is not None)
        except Exception:
            span.end()
        return result

    traced_call.__kalmia_wrapped__ = True  # type: ignore[attr-defined]
    return traced_call


def wrap_async_call(fn: Callable[..., Any], adapter: Any, request: Optional[Dict[str, Any]] = None) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = start_llm_span(adapter, kwargs if request is None else request)
        if span is None:
            return await fn(*args, **kwargs)
        sent = _with_stream_usage(adapter, kwargs)
        try:
            awaitable = fn(*args, **(sent or kwargs))
        except BaseException as exc:
            fail_llm_span(span, exc)
            raise
        return await _settle_later(span, adapter, awaitable, kwargs, sent is not None)

    traced_call.__kalmia_wrapped__ = True  # type: ignore[attr-defined]
    return traced_call


async def _settle_later(span: Span, adapter: Any, awaitable: Any, kwargs: Dict[str, Any], injected_usage: bool) -> Any:
    try:
        result = await awaitable
    except BaseException as exc:
        fail_llm_span(span, exc)
        raise
    try:
        value = _parsed_value(result)
        if inspect.isawaitable(value):
            value = await value
        _settle(span, adapter, value, observe_async_stream, injected_usage)
    except Exception:
        span.end()
    return result


def _with_stream_usage(adapter: Any, kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    try:
        ask = getattr(adapter, "with_stream_usage", None)
        return ask(kwargs) if ask is not None else None
    except Exception:
        return None


def _parsed_value(result: Any) -> Any:
    """For `with_raw_response` and `with_streaming_response`, the parsed body: the SDKs cache it,
    so the user's own `.parse()` gets the very same object, a stream included (observed in place,
    read only as the user reads it). A non-streamed body is read here; `.json()`, `.text()` and
    `.iter_bytes()` then read the same bytes from the response's cache."""
    if not (hasattr(type(result), "parse") and hasattr(result, "http_response")):
        return result
    return result.parse()


def _settle(span: Span, adapter: Any, value: Any, observe: Callable[[Any, StreamRecorder], None], injected_usage: bool = False) -> None:
    if value is None:
        span.end()
    elif _is_stream(value):
        assembler = adapter.assembler()
        if assembler is None:
            span.end()
        else:
            if injected_usage:
                assembler.injected_usage = True
            observe(value, StreamRecorder(span, assembler))
    else:
        finish_llm_span(span, adapter.result(value))


def _is_stream(value: Any) -> bool:
    # Asked of the type: a probe for a missing attribute on a pydantic model is slow.
    kind = type(value)
    return (hasattr(kind, "__next__") or hasattr(kind, "__anext__")) and hasattr(kind, "close")
