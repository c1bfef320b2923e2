"""A span: sent as one row when it starts and one when it ends (docs/SPANS.md), merged by id."""
from __future__ import annotations

import math
import os
import random
import time
from typing import Any, Dict, List, Optional

from ._logger import current_logger
from ._serialize import snapshot
from ._trace_context import context_fields

_UNSET: Any = object()


# Not the `random` module's shared generator: an app that seeds it (`random.seed(42)`) would
# make every run reuse the same span ids. Reseeded in a forked child for the same reason.
_ids = random.Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ids.seed)


def new_id() -> str:
    return "%032x" % _ids.getrandbits(128)


def describe_error(error: Any) -> Any:
    if isinstance(error, BaseException):
        text = str(error)
        return f"{type(error).__name__}: {text}" if text else type(error).__name__
    return snapshot(error)


def _numbers(scores: Dict[str, Any]) -> Dict[str, Optional[float]]:
    """Scores as the server takes them: a finite number, or None for "not scored"; others are left out."""
    out: Dict[str, Optional[float]] = {}
    for name, value in scores.items():
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)):
            out[str(name)] = None if value is None else float(value)
        elif isinstance(value, bool):
            out[str(name)] = 1.0 if value else 0.0
    return out


class Span:
    """One unit of work in a trace. Get one from `traced(...)` or `current_span()`.

    >>> with traced(name="lookup", span_type="tool") as span:  # doctest: +SKIP
    ...     span.log(input={"city": "Paris"}, output={"temp_c": 21})
    """

    __slots__ = (
        "id", "root_span_id", "span_parents", "name", "type", "start", "_logger", "_ended", "_update", "_context",
    )

    def __init__(
        self,
        name: str,
        span_type: str = "function",
        parent: Optional["Span"] = None,
        input: Any = _UNSET,
        metadata: Optional[Dict[str, Any]] = None,
        start: Optional[float] = None,
        context: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.id = new_id()
        if parent is not None and parent.id is not None:
            self.root_span_id = parent.root_span_id
            self.span_parents: List[str] = [parent.id]
        else:
            self.root_span_id = self.id
            self.span_parents = []
        self.name = name
        self.type = span_type
        self.start = time.time() if start is None else start
        self._logger = current_logger()
        self._ended = False
        self._update: Dict[str, Any] = {}
        # The trace's user, session and tags: a child carries its parent's, so every row says them.
        self._context: Dict[str, Any] = dict(getattr(parent, "_context", None) or {})
        if context:
            self._context.update(context)
        try:
            if parent is None and self._logger is not None and self._logger.metadata:
                # The logger's service-wide keys, under the root span's own.
                metadata = {**self._logger.metadata, **(metadata or {})}
            row = self._row()
            row["metrics"] = {"start": self.start}
            if input is not _UNSET:
                row["input"] = snapshot(input)
            if metadata:
                row["metadata"] = snapshot(metadata)
            self._emit(row)
        except Exception:
            pass  # an input that cannot even be copied: the span goes on without it

    @property
    def ended(self) -> bool:
        return self._ended

    def log(
        self,
        input: Any = _UNSET,
        output: Any = _UNSET,
        metadata: Optional[Dict[str, Any]] = None,
        metrics: Optional[Dict[str, Any]] = None,
        error: Any = None,
        scores: Optional[Dict[str, Optional[float]]] = None,
        user_id: Any = None,
        session_id: Any = None,
        tags: Any = None,
        **fields: Any,
    ) -> None:
        """Record input, output, metadata, metrics, scores or an error on this span, or the trace's
        `user_id`, `session_id` and `tags`. Later values win; metadata, metrics and scores merge key
        by key. Never raises.

        >>> span.log(output=answer, scores={"relevance": 0.8})  # doctest: +SKIP
        >>> current_span().log(user_id="u-42", session_id="chat-7", tags=["beta"])  # doctest: +SKIP
        """
        try:
            update = self._update if not self._ended else {}
            context = context_fields(user_id, session_id, tags)
            if context:
                self._context.update(context)
                update.update(context)
            if input is not _UNSET:
                update["input"] = snapshot(input)
            if output is not _UNSET:
                update["output"] = snapshot(output)
            if metadata:
                update.setdefault("metadata", {}).update(snapshot(metadata))
            if metrics:
                update.setdefault("metrics", {}).update(metrics)
            if scores:
                update.setdefault("scores", {}).update(_numbers(scores))
            if error is not None:
                update["error"] = describe_error(error)
            if fields:
                # Not row fields: kept, as metadata, rather than refused by the server.
                update.setdefault("metadata", {}).update(snapshot(fields))
            if self._ended and update:
                row = self._row()
                row.update(update)
                self._emit(row)
        except Exception:
            pass

    def _record(self, output: Any, metadata: Dict[str, Any], metrics: Dict[str, Any]) -> None:
        """`log` for values the SDK built itself (an assembled stream): no copy needed."""
        update = self._update
        update["output"] = output
        update.setdefault("metadata", {}).update(metadata)
        update.setdefault("metrics", {}).update(metrics)

    def end(self, status: Optional[str] = None, end_time: Optional[float] = None) -> None:
        """End the span (once; later calls do nothing). `status` defaults to `error` when an
        error was logged, else `ok`."""
        if self._ended:
            return
        self._ended = True
        try:
            row = self._row()
            row.update(self._update)
            metrics = row.setdefault("metrics", {})
            metrics["end"] = time.time() if end_time is None else end_time
            row["status"] = status or ("error" if "error" in row else "ok")
            self._update = {}
            self._emit(row)
        except Exception:
            pass

    def _row(self) -> Dict[str, Any]:
        row: Dict[str, Any] = {
            "id": self.id,
            "span_id": self.id,
            "root_span_id": self.root_span_id,
            "span_parents": self.span_parents,
            "span_attributes": {"name": self.name, "type": self.type},
            **self._context,
        }
        if self._logger is not None:
            row["project_id"] = self._logger.project
        return row

    def _emit(self, row: Dict[str, Any]) -> None:
        logger = self._logger
        if logger is not None:
            try:
                logger.enqueue(row)
            except Exception:
                pass

    def __repr__(self) -> str:
        return f"Span(name={self.name!r}, type={self.type!r}, id={self.id!r}, root_span_id={self.root_span_id!r})"


class NoopSpan:
    """What `current_span()` returns outside any span: every method does nothing."""

    id = None
    root_span_id = None
    span_parents: List[str] = []
    name = ""
    type = "function"
    ended = True

    def log(self, *args: Any, **kwargs: Any) -> None:
        return None

    def end(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NoopSpan()"


NOOP_SPAN = NoopSpan()
