"""Streams that did not ask for usage still record tokens, and the caller sees exactly what it
would have without the SDK; `with_streaming_response` calls (openai-agents' way of streaming)
record their output, tokens and time to first token."""
from __future__ import annotations

import asyncio
import json

import openai
import pytest
from sdk_py_helpers import llm_span

HELLO = [{"role": "user", "content": "Hello!"}]
ANSWER = "Hello! This is the fake upstream, answering deterministically."


@pytest.fixture
def plain_openai(fake_upstream):
    return openai.OpenAI(base_url=f"{fake_upstream}/v1", api_key="sk-test", max_retries=0)


@pytest.fixture
def plain_async_openai(fake_upstream):
    return openai.AsyncOpenAI(base_url=f"{fake_upstream}/v1", api_key="sk-test", max_retries=0)


def chunk_dicts(stream):
    return [chunk.to_dict() for chunk in stream]


def assert_tokens_and_ttft(span):
    assert span["status"] == "ok"
    assert span["output"]["content"] == ANSWER
    assert span["metrics"]["prompt_tokens"] > 0
    assert span["metrics"]["completion_tokens"] > 0
    assert span["metrics"]["time_to_first_token"] is not None


def test_a_stream_without_include_usage_records_tokens_and_the_caller_sees_the_chunks_it_asked_for(
    openai_client, plain_openai, kalmia_url, project
):
    received = chunk_dicts(openai_client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    assert received == chunk_dicts(plain_openai.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    assert all("usage" not in chunk for chunk in received)
    span = llm_span(kalmia_url, project)
    assert_tokens_and_ttft(span)
    assert "stream_options" not in span["metadata"]


def test_an_async_stream_without_include_usage_records_tokens(async_openai_client, plain_async_openai, kalmia_url, project):
    async def read(client):
        stream = await client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
        return [chunk.to_dict() async for chunk in stream]

    assert asyncio.run(read(async_openai_client)) == asyncio.run(read(plain_async_openai))
    assert_tokens_and_ttft(llm_span(kalmia_url, project))


def test_a_caller_who_asked_for_usage_keeps_the_usage_chunk(openai_client, plain_openai, kalmia_url, project):
    request = dict(model="gpt-4o", messages=HELLO, stream=True, stream_options={"include_usage": True})
    received = chunk_dicts(openai_client.chat.completions.create(**request))
    assert received == chunk_dicts(plain_openai.chat.completions.create(**request))
    assert received[-1]["usage"]["total_tokens"] > 0
    assert llm_span(kalmia_url, project)["metadata"]["stream_options"] == {"include_usage": True}


def test_the_chat_stream_helper_records_tokens_and_its_events_are_unchanged(openai_client, plain_openai, kalmia_url, project):
    def events(client):
        with client.chat.completions.stream(model="gpt-4o", messages=HELLO) as stream:
            kinds = [event.type for event in stream]
            return kinds, stream.get_final_completion().usage

    kinds, usage = events(openai_client)
    assert (kinds, usage) == events(plain_openai)
    assert usage is None
    assert_tokens_and_ttft(llm_span(kalmia_url, project))


def test_with_streaming_response_stream_records_output_tokens_and_ttft(openai_client, kalmia_url, project):
    with openai_client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=HELLO, stream=True) as response:
        assert response.headers["x-request-id"].startswith("req_fake")
        text = "".join(c.choices[0].delta.content or "" for c in response.parse() if c.choices)
    assert text == ANSWER
    assert_tokens_and_ttft(llm_span(kalmia_url, project))


def test_with_streaming_response_json_body_stays_readable_and_is_recorded(openai_client, kalmia_url, project):
    with openai_client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=HELLO) as response:
        body = json.loads(b"".join(response.iter_bytes()))
    assert body["choices"][0]["message"]["content"] == ANSWER
    span = llm_span(kalmia_url, project)
    assert span["output"]["content"] == ANSWER
    assert span["metrics"]["completion_tokens"] > 0


def test_responses_with_streaming_response_as_openai_agents_streams_is_recorded(async_openai_client, kalmia_url, project):
    async def main():
        async with async_openai_client.responses.with_streaming_response.create(
            model="gpt-4o", input="Hello!", instructions="Be brief.", stream=True
        ) as response:
            return [event.type async for event in await response.parse()]

    types = asyncio.run(main())
    assert types[-1] == "response.completed"
    span = llm_span(kalmia_url, project)
    assert span["name"] == "openai.responses.create"
    assert span["input"][0] == {"role": "system", "content": "Be brief."}
    texts = [part["text"] for item in span["output"] if item["type"] == "message" for part in item["content"]]
    assert texts == [ANSWER]
    assert span["metrics"]["completion_tokens"] > 0
    assert span["metrics"]["time_to_first_token"] is not None


def test_anthropic_with_streaming_response_stream_is_recorded(anthropic_client, kalmia_url, project):
    with anthropic_client.messages.with_streaming_response.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=HELLO, stream=True
    ) as response:
        kinds = [event.type for event in response.parse()]
    assert kinds[-1] == "message_stop"
    span = llm_span(kalmia_url, project)
    assert span["status"] == "ok"
    assert span["output"]["content"][0]["text"] == ANSWER
    assert span["metrics"]["completion_tokens"] > 0
    assert span["metrics"]["time_to_first_token"] is not None
