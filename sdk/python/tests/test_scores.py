"""Scores from the Python SDK, end to end through a real server: on a span as it runs
(`span.log(scores=...)`), and as feedback afterwards (`logger.log_feedback(id=span.id, ...)`)."""
from __future__ import annotations

import time

import kalmia_sdk
from kalmia_sdk import current_span, traced

from sdk_py_helpers import get_trace, list_traces, only_trace


def scores_of(kalmia_url: str, trace_id: str, count: int) -> list:
    """The trace's scores once `count` are stored (the feedback is sent in the background)."""
    assert kalmia_sdk.flush(timeout=15)
    deadline = time.monotonic() + 15
    while True:
        scores = get_trace(kalmia_url, trace_id)["scores"]
        if len(scores) >= count or time.monotonic() > deadline:
            return sorted(scores, key=lambda s: (s["name"], s["span_id"] or ""))
        time.sleep(0.05)


def test_span_log_scores_are_stored_as_the_spans_scores(kalmia_url, project):
    @traced(name="answer")
    def answer():
        with traced(name="retrieve", span_type="tool") as span:
            span.log(output=["doc-1"], scores={"recall": 0.5})
            span.log(scores={"precision": 1, "ignored": float("nan")})
        current_span().log(scores={"relevance": 0.75})
        return "Paris"

    answer()
    trace = only_trace(kalmia_url, project, spans=2)
    retrieve = next(s for s in trace["spans"] if s["name"] == "retrieve")
    got = [(s["name"], s["span_id"], s["value"], s["source"]) for s in scores_of(kalmia_url, trace["id"], 3)]
    assert got == [
        ("precision", retrieve["span_id"], 1, "ingest"),
        ("recall", retrieve["span_id"], 0.5, "ingest"),
        ("relevance", trace["id"], 0.75, "ingest"),
    ]


def test_log_feedback_on_a_kept_span_id_scores_its_trace_or_span_later(kalmia_url, project):
    kept = {}

    @traced(name="chat")
    def chat():
        kept["root"] = current_span().id
        with traced(name="tool-call", span_type="tool"):
            kept["child"] = current_span().id
        return "answer"

    chat()
    logger = kalmia_sdk._logger.current_logger()
    logger.log_feedback(id=kept["root"], scores={"user_feedback": 0}, comment="wrong city", metadata={"user": "u-1"})
    logger.log_feedback(id=kept["child"], scores={"tool_ok": 1})
    logger.log_feedback(id=kept["root"], comment="just a note")
    trace = only_trace(kalmia_url, project, spans=2)
    assert trace["id"] == kept["root"]
    scores = scores_of(kalmia_url, trace["id"], 3)
    by_name = {s["name"]: s for s in scores}
    assert by_name["user_feedback"]["span_id"] is None and by_name["user_feedback"]["value"] == 0
    assert by_name["user_feedback"]["comment"] == "wrong city" and by_name["user_feedback"]["metadata"] == {"user": "u-1"}
    assert by_name["tool_ok"]["span_id"] == kept["child"] and by_name["tool_ok"]["source"] == "sdk"
    assert by_name["comment"]["comment"] == "just a note"
    assert list_traces(kalmia_url, project)[0]["scores"] == {"user_feedback": 0, "tool_ok": 1}


def test_feedback_never_raises_even_for_values_the_server_refuses(kalmia_url, project):
    logger = kalmia_sdk._logger.current_logger()
    logger.log_feedback(id="no-such-span", scores={"x": "not a number"})  # refused by the server, quietly
    logger.log_feedback(id=None, scores=None)  # type: ignore[arg-type]
    assert kalmia_sdk.flush(timeout=15)
    assert logger.rejected >= 1
