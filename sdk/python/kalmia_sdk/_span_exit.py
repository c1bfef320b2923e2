"""How a span ends when the code it measures ends: normally, by an exception, or cancelled."""
from __future__ import annotations

from typing import Optional

from ._span import Span


def is_cancellation(exc: BaseException) -> bool:
    # asyncio.CancelledError and concurrent.futures.CancelledError, without importing asyncio.
    return type(exc).__name__ == "CancelledError"


def end_span(span: Span, exc: Optional[BaseException]) -> None:
    """Ends `span`, recording `exc` (the exception itself is always re-raised by the caller)."""
    try:
        if exc is None or isinstance(exc, GeneratorExit):
            span.end()
        elif is_cancellation(exc):
            span.log(error="cancelled")
            span.end("cancelled")
        elif isinstance(exc, SystemExit) and exc.code in (None, 0):
            span.end()
        else:
            span.log(error=exc)
            span.end("error")
    except Exception:
        pass
