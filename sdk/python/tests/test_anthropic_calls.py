"""Every traced Anthropic call form, sync and async, against the fake upstream and a real server."""
from __future__ import annotations

import asyncio
import inspect

import anthropic
import pytest
from anthropic.lib.streaming import AsyncMessageStream, MessageStream
from anthropic.types import Message
from sdk_py_helpers import llm_span

HELLO = [{"role": "user", "content": "Hello!"}]
ANSWER = "Hello! This is the fake upstream, answering deterministically."
TOOLS = [{
    "name": "get_weather",
    "description": "Get weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}]
MODEL = "claude-sonnet-4-20250514"


def assert_message_span(span, *, name: str = "anthropic.messages.create", streamed: bool) -> None:
    assert span["name"] == name
    assert span["status"] == "ok"
    assert span["input"] == [{"role": "system", "content": "Be brief."}] + HELLO
    assert span["metadata"]["provider"] == "anthropic"
    assert span["metadata"]["model"] == MODEL
    assert span["metadata"]["max_tokens"] == 256
    assert span["metadata"]["stop_reason"] == "end_turn"
    assert span["output"] == {"role": "assistant", "content": [{"type": "text", "text": ANSWER}]}
    assert span["metrics"]["prompt_tokens"] > 0 and span["metrics"]["completion_tokens"] > 0
    if streamed:
        assert span["metrics"]["time_to_first_token"] is not None


def create(client, **extra):
    return client.messages.create(model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO, **extra)


def test_message_is_returned_unchanged_and_traced(anthropic_client, kalmia_url, project):
    message = create(anthropic_client)
    assert isinstance(message, Message)
    assert message.content[0].text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), streamed=False)


def test_async_message_is_traced(async_anthropic_client, kalmia_url, project):
    message = asyncio.run(create(async_anthropic_client))
    assert isinstance(message, Message)
    assert_message_span(llm_span(kalmia_url, project), streamed=False)


def test_streamed_message_keeps_the_anthropic_stream(anthropic_client, kalmia_url, project):
    stream = create(anthropic_client, stream=True)
    assert isinstance(stream, anthropic.Stream)
    text = "".join(e.delta.text for e in stream if e.type == "content_block_delta")
    assert text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), streamed=True)


def test_async_streamed_message_is_traced(async_anthropic_client, kalmia_url, project):
    async def main():
        stream = await create(async_anthropic_client, stream=True)
        assert isinstance(stream, anthropic.AsyncStream)
        return "".join([e.delta.text async for e in stream if e.type == "content_block_delta"])

    assert asyncio.run(main()) == ANSWER
    assert_message_span(llm_span(kalmia_url, project), streamed=True)


def test_messages_stream_context_manager_keeps_text_stream_and_final_message(anthropic_client, kalmia_url, project):
    with anthropic_client.messages.stream(model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO) as stream:
        assert isinstance(stream, MessageStream)
        assert "".join(stream.text_stream) == ANSWER
        final = stream.get_final_message()
    assert isinstance(final, Message) and final.content[0].text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), name="anthropic.messages.stream", streamed=True)


def test_messages_stream_events_are_unchanged(anthropic_client, kalmia_url, project):
    with anthropic_client.messages.stream(model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO) as stream:
        kinds = [event.type for event in stream]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop" and "text" in kinds
    assert_message_span(llm_span(kalmia_url, project), name="anthropic.messages.stream", streamed=True)


def test_async_messages_stream_context_manager(async_anthropic_client, kalmia_url, project):
    async def main():
        manager = async_anthropic_client.messages.stream(model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO)
        async with manager as stream:
            assert isinstance(stream, AsyncMessageStream)
            text = "".join([t async for t in stream.text_stream])
            final = await stream.get_final_message()
        return text, final

    text, final = asyncio.run(main())
    assert text == ANSWER and final.content[0].text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), name="anthropic.messages.stream", streamed=True)


def test_streamed_tool_use_is_assembled_with_parsed_input(anthropic_client, kalmia_url, project):
    question = [{"role": "user", "content": "Weather in Tokyo and New York?"}]
    with anthropic_client.messages.stream(model=MODEL, max_tokens=256, tools=TOOLS, messages=question) as stream:
        final = stream.get_final_message()
    span = llm_span(kalmia_url, project)
    tool_uses = [b for b in span["output"]["content"] if b["type"] == "tool_use"]
    assert [b["input"] for b in tool_uses] == [b.input for b in final.content if b.type == "tool_use"]
    assert [b["input"] for b in tool_uses] == [{"city": "Tokyo"}, {"city": "New York"}]
    assert [b["id"] for b in tool_uses] == [b.id for b in final.content if b.type == "tool_use"]
    assert span["metadata"]["tools"] == TOOLS
    assert span["metadata"]["stop_reason"] == "tool_use"


def test_thinking_blocks_are_recorded(anthropic_client, kalmia_url, project):
    stream = create(anthropic_client, stream=True, thinking={"type": "enabled", "budget_tokens": 1024})
    list(stream)
    blocks = llm_span(kalmia_url, project)["output"]["content"]
    assert blocks[0]["type"] == "thinking" and blocks[0]["thinking"] and blocks[0]["signature"]
    assert blocks[-1] == {"type": "text", "text": ANSWER}


def test_cached_tokens_count_in_the_prompt(anthropic_client, kalmia_url, project):
    message = create(anthropic_client, extra_headers={"x-fake-scenario": "cache"})
    usage = message.usage
    metrics = llm_span(kalmia_url, project)["metrics"]
    assert metrics["prompt_cached_tokens"] == usage.cache_read_input_tokens > 0
    assert metrics["prompt_tokens"] == (
        usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
    )


def test_raw_response_is_returned_and_traced(anthropic_client, kalmia_url, project):
    raw = anthropic_client.messages.with_raw_response.create(
        model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO
    )
    assert raw.headers.get("request-id", "").startswith("req_fake")
    assert raw.parse().content[0].text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), streamed=False)


def test_async_raw_response_is_traced(async_anthropic_client, kalmia_url, project):
    async def main():
        raw = await async_anthropic_client.messages.with_raw_response.create(
            model=MODEL, max_tokens=256, system="Be brief.", messages=HELLO
        )
        parsed = raw.parse()  # a coroutine in anthropic 2.x, a plain call before
        return await parsed if inspect.isawaitable(parsed) else parsed

    assert asyncio.run(main()).content[0].text == ANSWER
    assert_message_span(llm_span(kalmia_url, project), streamed=False)


@pytest.mark.parametrize("status, error_type", [(429, anthropic.RateLimitError), (529, anthropic.OverloadedError)])
def test_provider_errors_reach_the_app_unchanged_and_are_recorded(anthropic_client, kalmia_url, project, status, error_type):
    with pytest.raises(error_type):
        create(anthropic_client, extra_headers={"x-fake-scenario": f"error-{status}"})
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error"
    assert span["metadata"]["status_code"] == status


def test_async_stream_manager_error_is_recorded(async_anthropic_client, kalmia_url, project):
    async def main():
        manager = async_anthropic_client.messages.stream(
            model=MODEL, max_tokens=256, messages=HELLO, extra_headers={"x-fake-scenario": "error-400"}
        )
        async with manager as stream:
            await stream.get_final_message()

    with pytest.raises(anthropic.BadRequestError):
        asyncio.run(main())
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error" and span["metadata"]["status_code"] == 400


def test_the_wrapped_client_is_still_an_anthropic_client(anthropic_client, async_anthropic_client):
    assert isinstance(anthropic_client, anthropic.Anthropic)
    assert isinstance(async_anthropic_client, anthropic.AsyncAnthropic)


def test_an_unknown_client_comes_back_unwrapped_with_one_warning():
    import warnings

    import kalmia_sdk
    from kalmia_sdk import _patch

    _patch._warned.clear()
    thing = object()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert kalmia_sdk.wrap_anthropic(thing) is thing
        assert kalmia_sdk.wrap_anthropic(thing) is thing
    assert len(caught) == 1 and "unwrapped" in str(caught[0].message)


def test_messages_given_as_a_generator_are_left_for_the_provider_to_read(anthropic_client, kalmia_url, project):
    message = anthropic_client.messages.create(model=MODEL, max_tokens=256, messages=(m for m in HELLO))
    assert message.content[0].text == ANSWER
    assert llm_span(kalmia_url, project)["status"] == "ok"
