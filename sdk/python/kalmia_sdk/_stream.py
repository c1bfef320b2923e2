"""Observing a provider stream without replacing it.

The user keeps the provider's own `Stream` / `AsyncStream` object; only its `_iterator` (the
generator both `__iter__` and `__next__` read from, in openai and anthropic alike) is swapped for
one that watches the items go by, and `close` is shadowed on the instance so that closing ends
the span. Whichever way the stream ends (read to the end, `break` + close, an exception, task
cancellation, dropped unread) the span ends exactly once.
"""
from __future__ import annotations

import time
import weakref
from typing import Any, Optional

from ._llm_span import fail_llm_span, finish_llm_span
from ._logger import _before_exit
from ._span import Span


class StreamRecorder:
    def __init__(self, span: Span, assembler: Any) -> None:
        self.span = span
        self.assembler = assembler
        self.first_token_at: Optional[float] = None
        self.done = False
        self.stream_ref: Any = None  # kept here, as a weakref's callback fires only while it lives
        _before_exit.add(self.at_exit)

    def item(self, item: Any) -> bool:
        """Watches one item; True when the caller must not see it (a chunk the SDK asked for)."""
        try:
            # Time to first token: the first item with generated content, not the first event
            # (Anthropic's message_start and OpenAI's role-only chunk come before any token).
            if self.assembler.feed(item) and self.first_token_at is None:
                self.first_token_at = time.time()
                self.span.log(metrics={"time_to_first_token": self.first_token_at - self.span.start})
        except Exception:
            pass
        try:
            hides = getattr(self.assembler, "hides", None)
            return bool(hides(item)) if hides is not None else False
        except Exception:
            return False

    def finish(self, how: str, exc: Optional[BaseException] = None) -> None:
        if self.done:
            return
        self.done = True
        _before_exit.discard(self.at_exit)
        try:
            result = self.assembler.result()
        except Exception:
            result = None
        try:
            self.span.log(metadata={"stream_end": how})
            if exc is not None:
                if result is not None:
                    self.span._record(result.output, result.metadata, result.metrics)
                fail_llm_span(self.span, exc)
            else:
                finish_llm_span(self.span, result, "ok" if how == "completed" else "cancelled")
        except Exception:
            pass

    def at_exit(self) -> None:
        self.finish("exit")


def _watch(stream: Any, recorder: StreamRecorder) -> "weakref.ref[Any]":
    """A weak reference to the stream (the stream must not hold itself alive), whose callback
    ends the span of a stream dropped before it was ever iterated: no generator runs then."""
    recorder.stream_ref = weakref.ref(stream, lambda _: recorder.finish("dropped"))
    return recorder.stream_ref


def observe_stream(stream: Any, recorder: StreamRecorder) -> None:
    inner = stream._iterator
    stream._iterator = _observe(inner, recorder)
    ref = _watch(stream, recorder)
    close_stream = type(stream).close

    def close() -> None:
        recorder.finish("closed")
        target = ref()
        if target is not None:
            close_stream(target)

    stream.close = close


def _observe(inner: Any, recorder: StreamRecorder) -> Any:
    try:
        for item in inner:
            if not recorder.item(item):
                yield item
    except GeneratorExit:
        recorder.finish("closed")  # first: closing the response below may itself fail
        inner.close()
        raise
    except BaseException as exc:
        recorder.finish("error", exc)
        raise
    recorder.finish("completed")


def observe_async_stream(stream: Any, recorder: StreamRecorder) -> None:
    inner = stream._iterator
    stream._iterator = _observe_async(inner, recorder)
    ref = _watch(stream, recorder)
    close_stream = type(stream).close

    async def close() -> None:
        recorder.finish("closed")
        target = ref()
        if target is not None:
            await close_stream(target)

    stream.close = close


async def _observe_async(inner: Any, recorder: StreamRecorder) -> Any:
    try:
        async for item in inner:
            if not recorder.item(item):
                yield item
    except GeneratorExit:
        recorder.finish("closed")
        await inner.aclose()
        raise
    except BaseException as exc:
        recorder.finish("cancelled" if type(exc).__name__ == "CancelledError" else "error", exc)
        raise
    recorder.finish("completed")
