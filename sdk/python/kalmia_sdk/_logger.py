"""The process-wide logger: configuration, the sender, the exit flush and fork handling."""
from __future__ import annotations

import atexit
import collections
import os
import sys
import threading
import uuid
from typing import Any, Callable, Dict, Optional, Set

from ._config import Config, resolve_config
from ._sender import ScoreItem, Sender
from ._serialize import snapshot


class Logger:
    """What `init_logger` returns: the resolved settings and the delivery counters."""

    def __init__(self, config: Config, metadata: Optional[Dict[str, Any]] = None) -> None:
        self.config = config
        #: Service-wide metadata (a region, a release): on every trace this logger sends.
        self.metadata: Dict[str, Any] = dict(metadata or {})
        self._sender = Sender(config)

    @property
    def project(self) -> str:
        return self.config.project

    @property
    def dropped(self) -> int:
        """Rows dropped because the send queue was full."""
        return self._sender.dropped

    @property
    def rejected(self) -> int:
        """Rows the server refused (or that could not be encoded)."""
        return self._sender.rejected

    @property
    def sent(self) -> int:
        return self._sender.sent

    def enqueue(self, row: dict) -> None:
        self._sender.enqueue(row)
        if row.get("span_id") and row["span_id"] != row.get("root_span_id"):
            _remember_trace(row["span_id"], row["root_span_id"])

    def log_feedback(
        self,
        id: str,
        scores: Optional[Dict[str, float]] = None,
        comment: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
        trace_id: Optional[str] = None,
        source: str = "sdk",
    ) -> None:
        """Score a span (or its trace) after the fact: `id` is a span's `.id`, for instance one kept
        from `current_span().id` when the answer was given. Each score is stored apart, `comment`
        and `metadata` with each; a comment without scores is stored as a `comment` score. Sent by
        the background sender; never raises, never blocks.

        >>> logger.log_feedback(id=span_id, scores={"user_feedback": 0}, comment="wrong city")  # doctest: +SKIP
        """
        try:
            trace = trace_id or _trace_of(id)
            items: Dict[str, Any] = dict(scores or {})
            if not items and comment:
                items = {"comment": None}
            for name, value in items.items():
                score: Dict[str, Any] = {
                    "id": _new_score_id(),
                    "project": self.project,
                    "trace_id": trace,
                    "name": name,
                    "source": source,
                }
                if id != trace:
                    score["span_id"] = id
                if value is None:
                    score["label"] = "comment"
                else:
                    score["value"] = value
                if comment is not None:
                    score["comment"] = comment
                if metadata:
                    score["metadata"] = snapshot(metadata)
                self._sender.enqueue(ScoreItem(score))
        except Exception:
            pass

    def flush(self, timeout: Optional[float] = 30.0) -> bool:
        return self._sender.flush(timeout)


# Which trace each recent child span belongs to, for log_feedback(id=span_id): a root span's id is
# its trace's. Bounded: the oldest are forgotten (pass trace_id= for spans that old).
_TRACE_OF_KEPT = 10_000
_trace_of_span: "collections.OrderedDict[str, str]" = collections.OrderedDict()


def _remember_trace(span_id: str, trace_id: str) -> None:
    try:
        if span_id in _trace_of_span:
            return
        _trace_of_span[span_id] = trace_id
        if len(_trace_of_span) > _TRACE_OF_KEPT:
            _trace_of_span.popitem(last=False)
    except Exception:
        pass  # another thread forgot the same oldest entry first


def _trace_of(span_id: str) -> str:
    return _trace_of_span.get(span_id, span_id)


def _new_score_id() -> str:
    return uuid.uuid4().hex


_logger: Optional[Logger] = None
_lock = threading.Lock()
_exit_hooks_registered = False
# The exit flush runs once per process: atexit and multiprocessing's finalizers both call it.
_exit_flushed = False
# How long the exit waits once the server is failing: a short last chance, not the app's exit held
# for the whole KALMIA_FLUSH_TIMEOUT.
_FAILING_EXIT_TIMEOUT = 1.0
# Called at exit before the final flush, to end spans still open (a stream never read to its end).
_before_exit: Set[Callable[[], None]] = set()


def init_logger(
    project_name: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
) -> Logger:
    """Send spans to a Kalmia server. Explicit arguments win over `KALMIA_PROJECT`,
    `KALMIA_BASE_URL` and `KALMIA_API_KEY`; the defaults are `default` and `http://localhost:3000`.
    `metadata`: service-wide keys (a region, a release) on every trace, under each trace's own.

    >>> init_logger(project_name="my-agent", base_url="http://localhost:3000")  # doctest: +SKIP
    >>> init_logger(project_name="my-agent", metadata={"region": "eu-west-1"})  # doctest: +SKIP
    """
    global _logger
    config = resolve_config(project_name, base_url, api_key)
    with _lock:
        previous = _logger
        try:
            defaults = dict(metadata) if metadata else None
        except Exception:
            defaults = None
        _logger = Logger(config, defaults)
        _register_process_hooks()
    if previous is not None:
        # Rows already queued for the previous configuration still go where they were meant to.
        previous.flush(timeout=0)
    return _logger


def current_logger() -> Optional[Logger]:
    return _logger


def flush(timeout: Optional[float] = 30.0) -> bool:
    """Block until every span recorded so far has been delivered, or `timeout` seconds pass
    (`None`: no limit). Returns True when everything was delivered. Never raises.

    >>> flush(timeout=5)  # doctest: +SKIP
    """
    logger = _logger
    if logger is None:
        return True
    try:
        return logger.flush(timeout)
    except Exception:
        return False


def _register_process_hooks() -> None:
    global _exit_hooks_registered
    if _exit_hooks_registered:
        return
    _exit_hooks_registered = True
    atexit.register(_flush_at_exit)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    _register_multiprocessing_exit()


def _register_multiprocessing_exit() -> None:
    """multiprocessing's children end with `os._exit`, skipping atexit; they do run
    multiprocessing's own finalizers, which are cleared in a forked child and re-made here."""
    try:
        import multiprocessing.util as mp_util

        mp_util.Finalize(None, _flush_at_exit, exitpriority=100)
        mp_util.register_after_fork(_flush_at_exit, lambda _: _register_multiprocessing_exit_again())
    except Exception:
        pass


def _register_multiprocessing_exit_again() -> None:
    mp_util = sys.modules.get("multiprocessing.util")
    if mp_util is not None:
        mp_util.Finalize(None, _flush_at_exit, exitpriority=100)


def _flush_at_exit() -> None:
    global _exit_flushed
    # In the main process both atexit and multiprocessing's own exit run this; a second wait would
    # hold the exit twice as long as promised (with the server hung: 10 s for a 5 s timeout).
    if _exit_flushed:
        return
    _exit_flushed = True
    for hook in list(_before_exit):
        try:
            hook()
        except Exception:
            pass
    logger = _logger
    if logger is not None:
        try:
            # One deadline, cut short as soon as the server is seen failing, be it before the exit
            # or during the wait (a script that ends right after its last span finds out then).
            logger._sender.flush(logger.config.exit_timeout, failing_timeout=_FAILING_EXIT_TIMEOUT)
        except Exception:
            pass


def _after_fork_in_child() -> None:
    global _lock, _exit_flushed
    _exit_flushed = False
    # The lock may have been held by another thread at the moment of the fork.
    _lock = threading.Lock()
    logger = _logger
    if logger is not None:
        try:
            logger._sender.after_fork_in_child()
        except Exception:
            pass
