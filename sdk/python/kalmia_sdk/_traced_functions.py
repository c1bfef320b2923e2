"""`@traced` on the four kinds of function: def, async def, generator and async generator.

Generators need care: a generator runs in its caller's context, so setting the current span
around the whole body would leak it into the caller between items. Each resumption sets it and
resets it before handing the item back.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, List, Optional

from ._arguments import argument_namer
from ._context import _current
from ._span import Span
from ._span_exit import end_span

_MAX_RECORDED_ITEMS = 1000


def trace_function(
    fn: Callable[..., Any], name: str, span_type: str, context: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None
) -> Callable[..., Any]:
    # What every call's span starts with: the name, type, the trace's context and metadata.
    opening = (name, span_type, context, metadata)
    if inspect.isasyncgenfunction(fn):
        return _trace_async_generator(fn, opening)
    if inspect.iscoroutinefunction(fn):
        return _trace_coroutine(fn, opening)
    if inspect.isgeneratorfunction(fn):
        return _trace_generator(fn, opening)
    return _trace_sync(fn, opening)


def _open(opening, namer, args, kwargs) -> Span:
    name, span_type, context, metadata = opening
    try:
        arguments = namer(args, kwargs)
    except Exception:
        arguments = None
    return Span(name, span_type, _current.get(), input=arguments, metadata=metadata, context=context)


def _trace_sync(fn, opening):
    namer = argument_namer(fn)

    @functools.wraps(fn)
    def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = _open(opening, namer, args, kwargs)
        token = _current.set(span)
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            end_span(span, exc)
            raise
        finally:
            _current.reset(token)
        span.log(output=result)
        span.end()
        return result

    return traced_call


def _trace_coroutine(fn, opening):
    namer = argument_namer(fn)

    @functools.wraps(fn)
    async def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = _open(opening, namer, args, kwargs)
        token = _current.set(span)
        try:
            result = await fn(*args, **kwargs)
        except BaseException as exc:
            end_span(span, exc)
            raise
        finally:
            _current.reset(token)
        span.log(output=result)
        span.end()
        return result

    return traced_call


def _trace_generator(fn, opening):
    namer = argument_namer(fn)

    @functools.wraps(fn)
    def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = _open(opening, namer, args, kwargs)
        items: List[Any] = []
        token = _current.set(span)
        try:
            inner = fn(*args, **kwargs)
        finally:
            _current.reset(token)
        to_send: Any = None
        to_throw: Any = None
        try:
            while True:
                token = _current.set(span)
                try:
                    if to_throw is not None:
                        exc, to_throw = to_throw, None
                        item = inner.throw(exc)
                    else:
                        item = inner.send(to_send)
                except StopIteration as stop:
                    span.log(output=items if stop.value is None else stop.value)
                    end_span(span, None)
                    return stop.value
                finally:
                    _current.reset(token)
                if len(items) < _MAX_RECORDED_ITEMS:
                    items.append(item)
                try:
                    to_send = yield item
                except GeneratorExit:
                    token = _current.set(span)  # the generator's own cleanup runs inside its span
                    try:
                        inner.close()
                    finally:
                        _current.reset(token)
                    raise
                except BaseException as exc:
                    to_send, to_throw = None, exc
        except BaseException as exc:
            span.log(output=items)
            end_span(span, exc)
            raise

    return traced_call


def _trace_async_generator(fn, opening):
    namer = argument_namer(fn)

    @functools.wraps(fn)
    async def traced_call(*args: Any, **kwargs: Any) -> Any:
        span = _open(opening, namer, args, kwargs)
        items: List[Any] = []
        token = _current.set(span)
        try:
            inner = fn(*args, **kwargs)
        finally:
            _current.reset(token)
        to_send: Any = None
        to_throw: Any = None
        try:
            while True:
                token = _current.set(span)
                try:
                    if to_throw is not None:
                        exc, to_throw = to_throw, None
                        item = await inner.athrow(exc)
                    else:
                        item = await inner.asend(to_send)
                except StopAsyncIteration:
                    span.log(output=items)
                    end_span(span, None)
                    return
                finally:
                    _current.reset(token)
                if len(items) < _MAX_RECORDED_ITEMS:
                    items.append(item)
                try:
                    to_send = yield item
                except GeneratorExit:
                    token = _current.set(span)
                    try:
                        await inner.aclose()
                    finally:
                        _current.reset(token)
                    raise
                except BaseException as exc:
                    to_send, to_throw = None, exc
        except BaseException as exc:
            span.log(output=items)
            end_span(span, exc)
            raise

    return traced_call
