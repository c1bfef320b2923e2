"""The background sender: span rows in, batched `POST /api/v1/spans` out; feedback scores
(`Logger.log_feedback`) through the same queue, batched to `POST /api/v1/scores`.

The caller's path only appends to a deque under a lock; JSON encoding and all network I/O happen
on one daemon thread. The thread is started eagerly because Python 3.12+ refuses to start threads
once the interpreter is finalizing, which is exactly when the exit flush needs it.
"""
from __future__ import annotations

import collections
import email.utils
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Callable, Deque, List, NamedTuple, Optional

from ._config import Config
from ._serialize import dumps_row

_MAX_BACKOFF = 30.0
_MAX_RETRY_AFTER = 60.0
_LINGER = 0.02


class ScoreItem(dict):
    """A score for `POST /api/v1/scores`, queued with the span rows and sent apart from them."""


class Sender:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.dropped = 0  # rows refused because the queue was full
        self.rejected = 0  # rows the server refused (4xx other than 429)
        self.sent = 0
        self._last_failed = False  # the last attempt failed and will be retried
        self._reset_state()
        self._start_thread()

    def _reset_state(self) -> None:
        # Reentrant: a stream dropped unread ends its span from a garbage-collection finalizer,
        # which may run on a thread that is inside `enqueue` or `_take_batch` already.
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._queue: Deque[dict] = collections.deque()
        self._pending = 0  # rows queued or in flight
        self._wake = threading.Event()
        self._attempt_started: Optional[float] = None  # monotonic start of the POST in flight

    def _start_thread(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kalmia-sender", daemon=True)
        self._thread.start()

    def after_fork_in_child(self) -> None:
        """The parent's rows are the parent's to send; the child starts empty with its own thread."""
        self._reset_state()
        self._start_thread()

    # --- caller side -------------------------------------------------------------------------

    def enqueue(self, row: dict) -> None:
        with self._lock:
            if len(self._queue) >= self.config.max_queue:
                self.dropped += 1
                return
            self._queue.append(row)
            self._pending += 1
        if not self._wake.is_set():
            self._wake.set()

    @property
    def failing(self) -> bool:
        """The server is down or not answering: the last attempt failed, or the one in flight has
        waited past its request timeout (a server that trickles bytes can hold a socket longer)."""
        if self._last_failed:
            return True
        started = self._attempt_started
        return started is not None and time.monotonic() - started > self.config.request_timeout

    def flush(self, timeout: Optional[float], failing_timeout: Optional[float] = None) -> bool:
        """Wait until every queued row has been sent (or given up on); False on timeout.
        With `failing_timeout`, the wait ends that many seconds after it began once the server is
        failing, even if that is only found out while waiting."""
        start = time.monotonic()
        deadline = None if timeout is None else start + max(0.0, timeout)
        short = None if failing_timeout is None else start + max(0.0, failing_timeout)
        self._wake.set()
        with self._idle:
            while self._pending > 0:
                end = deadline
                if short is not None and (end is None or short < end) and self.failing:
                    end = short
                remaining = None if end is None else end - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                # In slices: an attempt that hangs past its timeout wakes no one.
                self._idle.wait(0.5 if remaining is None else min(remaining, 0.5))
        return True

    # --- sender thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # Let a burst of rows gather into one request (a span's start and end, a whole run).
            time.sleep(_LINGER)
            self._wake.clear()
            while True:
                rows = self._take_batch()
                if not rows:
                    break
                try:
                    self._deliver(rows)
                except Exception:
                    self.rejected += len(rows)  # never let the thread die
                finally:
                    with self._idle:
                        self._pending -= len(rows)
                        self._idle.notify_all()

    def _take_batch(self) -> List[dict]:
        with self._lock:
            n = min(len(self._queue), self.config.batch_rows)
            return [self._queue.popleft() for _ in range(n)]

    def _deliver(self, items: List[dict]) -> None:
        rows = [item for item in items if not isinstance(item, ScoreItem)]
        scores = [item for item in items if isinstance(item, ScoreItem)]
        if rows:
            self._deliver_as(rows, self._spans_body, self.config.spans_url)
        if scores:
            self._deliver_as(scores, _scores_body, self.config.scores_url)

    def _spans_body(self, parts: List[str]) -> bytes:
        project = json.dumps(self.config.project)
        return ('{"project":' + project + ',"rows":[' + ",".join(parts) + "]}").encode("utf-8")

    def _deliver_as(self, rows: List[dict], body_of: Callable[[List[str]], bytes], url: str) -> None:
        parts: List[str] = []
        size = 0
        for row in rows:
            text = dumps_row(row)
            # Encoding holds the GIL; yield it after each row so the app's threads never wait
            # a whole switch interval (5 ms) behind the sender.
            time.sleep(0)
            if parts and size + len(text) > self.config.batch_bytes:
                self._post_with_retry(parts, body_of, url)
                parts, size = [], 0
            parts.append(text)
            size += len(text) + 1
        if parts:
            self._post_with_retry(parts, body_of, url)

    def _post_with_retry(self, parts: List[str], body_of: Callable[[List[str]], bytes], url: str) -> None:
        body = body_of(parts)
        delay = 0.25
        while True:
            self._attempt_started = time.monotonic()
            try:
                answer = self._post(body, url)
            finally:
                self._attempt_started = None
            with self._idle:
                self._last_failed = answer.outcome == "retry"
                # An exit flush waiting on this attempt may now cut its wait short.
                self._idle.notify_all()
            if answer.outcome == "ok":
                self.sent += len(parts) - answer.refused
                self.rejected += answer.refused
                return
            if answer.outcome == "rejected":
                if answer.status in (400, 413) and len(parts) > 1:
                    # The whole body was refused (too large, or one row the server cannot read):
                    # halve it so the one bad row does not take the others with it.
                    middle = len(parts) // 2
                    self._post_with_retry(parts[:middle], body_of, url)
                    self._post_with_retry(parts[middle:], body_of, url)
                else:
                    self.rejected += len(parts)
                return
            wait = answer.retry_after if answer.retry_after is not None else delay
            time.sleep(min(wait, _MAX_RETRY_AFTER))
            delay = min(delay * 2, _MAX_BACKOFF)

    def _post(self, body: bytes, url: str) -> "Answer":
        headers = {"Content-Type": "application/json", "User-Agent": "kalmia-sdk-python"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config.request_timeout) as response:
                answer = response.read()
                return Answer("ok", refused=_refused_rows(answer) if response.status == 207 else 0)
        except urllib.error.HTTPError as err:
            retry_after = _parse_retry_after(err.headers.get("Retry-After") if err.headers else None)
            err.close()
            if err.code == 429 or err.code >= 500:
                return Answer("retry", retry_after=retry_after)
            return Answer("rejected", status=err.code)
        except Exception:
            # Refused, reset, DNS, timeout against a hung server: all worth another try.
            return Answer("retry")


class Answer(NamedTuple):
    outcome: str  # "ok", "retry" or "rejected"
    retry_after: Optional[float] = None
    refused: int = 0  # rows a 207 answer said were invalid
    status: int = 0


def _scores_body(parts: List[str]) -> bytes:
    return ("[" + ",".join(parts) + "]").encode("utf-8")


def _refused_rows(answer: bytes) -> int:
    try:
        return len(json.loads(answer).get("errors") or [])
    except Exception:
        return 0


def _parse_retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None
