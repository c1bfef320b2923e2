"""What goes over the wire, and what happens when the collector misbehaves: the app never notices."""
from __future__ import annotations

import time

import pytest

import kalmia_sdk
from kalmia_sdk import traced

HELLO = [{"role": "user", "content": "Hello!"}]


@traced(name="step")
def step(n):
    return n + 1


def test_spans_go_out_as_start_and_end_rows_in_batches_with_the_api_key(capture):
    for n in range(20):
        step(n)
    assert kalmia_sdk.flush(timeout=10)
    rows = capture.rows()
    assert len(rows) == 40
    assert len(capture.requests) < 40, "rows are batched"
    request = capture.requests[0]
    assert request["headers"]["Authorization"] == "Bearer key-123"
    assert request["body"]["project"] == "capture"
    first_id = rows[0]["id"]
    start, end = [r for r in rows if r["id"] == first_id]
    assert start["metrics"].keys() == {"start"} and start["input"] == {"n": 0}
    assert end["output"] == 1 and end["status"] == "ok" and end["metrics"]["end"] >= start["metrics"]["start"]
    assert start["root_span_id"] == start["span_id"] == first_id and start["span_parents"] == []
    assert start["span_attributes"] == {"name": "step", "type": "function"}


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retryable_answers_are_retried_after_retry_after(capture, status):
    capture.script.append((status, {"Retry-After": "1"}))
    step(1)
    assert kalmia_sdk.flush(timeout=15)
    assert len(capture.requests) >= 2
    assert capture.requests[1]["body"] == capture.requests[0]["body"], "the refused batch is sent again"
    # Honouring Retry-After means not asking again sooner than it says (a lower bound only).
    assert capture.requests[1]["at"] - capture.requests[0]["at"] >= 0.9
    assert capture.end_rows(), "and the span's end follows"


@pytest.mark.parametrize("status", [401, 403, 404])
def test_other_client_errors_are_not_retried(capture, status):
    capture.script.append((status, {}))
    step(1)
    assert kalmia_sdk.flush(timeout=10)
    step(2)
    assert kalmia_sdk.flush(timeout=10)
    first_batch_ids = {r["id"] for r in capture.requests[0]["body"]["rows"]}
    later_ids = {r["id"] for request in capture.requests[1:] for r in request["body"]["rows"]}
    assert not first_batch_ids & later_ids, "a refused batch is never sent again"
    assert kalmia_sdk._logger.current_logger().rejected >= 1


def test_a_hung_collector_changes_nothing_for_the_app_and_flush_gives_up_in_time(capture, openai_client):
    capture.hang.set()
    completion = openai_client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert completion.choices[0].message.content.startswith("Hello!")
    assert step(1) == 2
    assert kalmia_sdk.flush(timeout=0.5) is False
    capture.release.set()


def test_a_collector_that_is_down_changes_nothing_for_the_app(openai_client, anthropic_client):
    kalmia_sdk.init_logger(project_name="down", base_url="http://127.0.0.1:9")  # discard port: refused
    assert openai_client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content
    with anthropic_client.messages.stream(model="claude-sonnet-4-20250514", max_tokens=64, messages=HELLO) as s:
        assert s.get_final_text()
    assert step(1) == 2
    assert kalmia_sdk.flush(timeout=0.5) is False


def test_a_collector_failing_with_500_changes_nothing_for_the_app(capture, openai_client):
    capture.script.extend([(500, {})] * 50)
    stream = openai_client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream).startswith("Hello!")
    assert kalmia_sdk.flush(timeout=0.5) is False


def test_past_the_queue_cap_rows_are_dropped_and_counted(capture, monkeypatch):
    monkeypatch.setenv("KALMIA_MAX_QUEUE", "10")
    logger = kalmia_sdk.init_logger(project_name="capped", base_url=capture.url)
    capture.hang.set()
    for n in range(100):
        assert step(n) == n + 1
    assert logger.dropped > 0
    capture.release.set()
    assert logger.flush(timeout=10)
    assert len(capture.rows()) + logger.dropped == 200


def test_environment_variables_are_fallbacks_and_arguments_win(monkeypatch):
    monkeypatch.setenv("KALMIA_PROJECT", "from-env")
    monkeypatch.setenv("KALMIA_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("KALMIA_API_KEY", "env-key")
    config = kalmia_sdk.init_logger().config
    assert (config.project, config.base_url, config.api_key) == ("from-env", "http://127.0.0.1:9", "env-key")
    config = kalmia_sdk.init_logger(project_name="arg", base_url="http://127.0.0.1:10", api_key="arg-key").config
    assert (config.project, config.base_url, config.api_key) == ("arg", "http://127.0.0.1:10", "arg-key")


def test_a_batch_refused_whole_is_split_so_good_rows_still_arrive(capture):
    capture.script.extend([(200, {}), (400, {})])
    capture.hang.set()  # hold the first request so the rows below queue up into one batch
    step(0)
    while not capture.requests:
        time.sleep(0.01)
    for n in range(1, 5):
        step(n)
    capture.release.set()
    assert kalmia_sdk.flush(timeout=10)
    refused = capture.requests[1]["body"]["rows"]
    assert len(refused) > 1
    later = capture.requests[2:]
    resent = [r for request in later for r in request["body"]["rows"]]
    assert all(row in resent for row in refused), "every row of the refused batch is tried again"
    assert all(len(request["body"]["rows"]) < len(refused) for request in later), "in smaller batches"
