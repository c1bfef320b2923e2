"""A stream's span ends exactly once, however the stream ends. Rows are read from a capturing
collector so that the number of end rows per span can be counted."""
from __future__ import annotations

import asyncio
import gc

import anthropic
import pytest

import kalmia_sdk

HELLO = [{"role": "user", "content": "Hello!"}]
MODEL = "claude-sonnet-4-20250514"


def ended_once(capture, name: str):
    """The one span called `name`, checked to have exactly one end row; returns that end row
    merged over its start row."""
    assert kalmia_sdk.flush(timeout=10)
    rows = [r for r in capture.rows() if r["span_attributes"]["name"] == name]
    assert rows, f"no span named {name}"
    ids = {r["id"] for r in rows}
    assert len(ids) == 1, "one call, one span"
    ends = capture.end_rows(ids.pop())
    assert len(ends) == 1, f"span ended {len(ends)} times"
    merged = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


def chat_stream(client, scenario: str = ""):
    headers = {"x-fake-scenario": scenario} if scenario else {}
    return client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True, extra_headers=headers)


def test_a_stream_read_to_the_end_ends_ok(capture, openai_client):
    for _ in chat_stream(openai_client):
        pass
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "ok" and span["metadata"]["stream_end"] == "completed"


def test_break_inside_with_ends_the_span_with_the_partial_output(capture, openai_client):
    with chat_stream(openai_client) as stream:
        for chunk in stream:
            if chunk.choices[0].delta.content:
                break
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "cancelled" and span["metadata"]["stream_end"] == "closed"
    assert span["output"]["content"] == "Hello!"


def test_close_before_reading_ends_the_span(capture, anthropic_client):
    stream = anthropic_client.messages.create(model=MODEL, max_tokens=64, messages=HELLO, stream=True)
    stream.close()
    span = ended_once(capture, "anthropic.messages.create")
    assert span["status"] == "cancelled" and span["metadata"]["stream_end"] == "closed"


def test_aclose_ends_the_span(capture, async_openai_client):
    async def main():
        stream = await chat_stream(async_openai_client)
        await stream.__anext__()
        close = getattr(stream, "aclose", None) or stream.close  # openai 2.x streams had only close()
        await close()

    asyncio.run(main())
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "cancelled" and span["metadata"]["stream_end"] == "closed"


def test_a_mid_stream_provider_error_reaches_the_app_and_is_recorded(capture, anthropic_client):
    with pytest.raises(anthropic.APIStatusError):
        with anthropic_client.messages.stream(
            model=MODEL, max_tokens=64, messages=HELLO, extra_headers={"x-fake-scenario": "mid-stream-error"}
        ) as stream:
            stream.get_final_message()
    span = ended_once(capture, "anthropic.messages.stream")
    assert span["status"] == "error" and span["metadata"]["stream_end"] == "error"
    assert "overloaded" in str(span["error"]).lower()


def test_a_cut_connection_is_recorded_as_an_error(capture, openai_client):
    with pytest.raises(Exception) as raised:
        for _ in chat_stream(openai_client, "cut"):
            pass
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "error"
    assert type(raised.value).__name__ in span["error"]


def test_an_app_exception_inside_the_loop_propagates_unchanged_and_ends_the_span(capture, openai_client):
    class AppError(Exception):
        pass

    with pytest.raises(AppError):
        with chat_stream(openai_client) as stream:
            for _ in stream:
                raise AppError("boom")
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "cancelled"


def test_task_cancellation_mid_stream_ends_the_span_cancelled(capture, async_anthropic_client):
    async def consume(first_event: asyncio.Event):
        stream = await async_anthropic_client.messages.create(
            model=MODEL, max_tokens=64, messages=HELLO, stream=True, extra_headers={"x-fake-scenario": "slow"}
        )
        async for _ in stream:
            first_event.set()

    async def main():
        first_event = asyncio.Event()
        task = asyncio.create_task(consume(first_event))
        await first_event.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    span = ended_once(capture, "anthropic.messages.create")
    assert span["status"] == "cancelled"


def test_a_stream_dropped_unread_ends_the_span(capture, openai_client):
    stream = chat_stream(openai_client)
    del stream
    gc.collect()
    span = ended_once(capture, "openai.chat.completions.create")
    assert span["status"] == "cancelled" and span["metadata"]["stream_end"] in ("dropped", "closed")


def test_a_stream_dropped_half_read_ends_the_span(capture, anthropic_client):
    stream = anthropic_client.messages.create(model=MODEL, max_tokens=64, messages=HELLO, stream=True)
    next(stream)
    del stream
    gc.collect()
    span = ended_once(capture, "anthropic.messages.create")
    assert span["status"] == "cancelled"


def test_an_async_stream_dropped_unread_ends_the_span(capture, async_openai_client):
    async def main():
        stream = await chat_stream(async_openai_client)
        del stream
        gc.collect()

    asyncio.run(main())
    assert ended_once(capture, "openai.chat.completions.create")["status"] == "cancelled"


def test_get_final_message_after_reading_ends_the_span_once(capture, anthropic_client):
    with anthropic_client.messages.stream(model=MODEL, max_tokens=64, messages=HELLO) as stream:
        for _ in stream.text_stream:
            pass
        stream.get_final_message()
    assert ended_once(capture, "anthropic.messages.stream")["status"] == "ok"
    assert isinstance(stream, anthropic.lib.streaming.MessageStream)


def test_a_stream_collected_while_the_sdk_holds_its_queue_lock_does_not_deadlock(capture, openai_client):
    # Garbage collection can run a dropped stream's finalizer at any allocation, including one
    # made while this same thread is inside the SDK's queue; the finalizer then enqueues too.
    import threading

    sender = kalmia_sdk._logger.current_logger()._sender
    stream = chat_stream(openai_client)
    finished = threading.Event()

    def collect_inside_the_queue_lock():
        nonlocal stream
        with sender._lock:
            del stream
            gc.collect()
        finished.set()

    worker = threading.Thread(target=collect_inside_the_queue_lock, daemon=True)
    worker.start()
    assert finished.wait(20), "deadlocked"
    assert ended_once(capture, "openai.chat.completions.create")["status"] == "cancelled"
