"""Every traced OpenAI call form, sync and async, against the fake upstream and a real server."""
from __future__ import annotations

import asyncio
import json

import openai
import pytest
from sdk_py_helpers import get_json, llm_span
from openai.types.chat import ChatCompletion
from openai.types.responses import Response

HELLO = [{"role": "user", "content": "Hello!"}]
ANSWER = "Hello! This is the fake upstream, answering deterministically."
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def assert_chat_span(span, *, streamed: bool) -> None:
    assert span["name"] == "openai.chat.completions.create"
    assert span["status"] == "ok"
    assert span["input"] == HELLO
    assert span["metadata"]["provider"] == "openai"
    assert span["metadata"]["model"] == "gpt-4o"
    assert span["output"]["role"] == "assistant"
    assert span["output"]["content"] == ANSWER
    assert span["metrics"]["prompt_tokens"] > 0
    assert span["metrics"]["completion_tokens"] > 0
    if streamed:
        assert span["metrics"]["time_to_first_token"] is not None


def test_chat_completion_is_returned_unchanged_and_traced(openai_client, kalmia_url, project):
    completion = openai_client.chat.completions.create(model="gpt-4o", messages=HELLO, temperature=0.2)
    assert isinstance(completion, ChatCompletion)
    assert completion.choices[0].message.content == ANSWER
    span = llm_span(kalmia_url, project)
    assert_chat_span(span, streamed=False)
    assert span["metadata"]["temperature"] == 0.2


def test_async_chat_completion_is_traced(async_openai_client, kalmia_url, project):
    completion = asyncio.run(async_openai_client.chat.completions.create(model="gpt-4o", messages=HELLO))
    assert isinstance(completion, ChatCompletion)
    assert_chat_span(llm_span(kalmia_url, project), streamed=False)


def test_streamed_chat_completion_keeps_the_openai_stream_and_records_the_assembled_message(
    openai_client, kalmia_url, project
):
    stream = openai_client.chat.completions.create(
        model="gpt-4o", messages=HELLO, stream=True, stream_options={"include_usage": True}
    )
    assert isinstance(stream, openai.Stream)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == ANSWER
    assert_chat_span(llm_span(kalmia_url, project), streamed=True)


def test_async_streamed_chat_completion_is_traced(async_openai_client, kalmia_url, project):
    async def main():
        stream = await async_openai_client.chat.completions.create(
            model="gpt-4o", messages=HELLO, stream=True, stream_options={"include_usage": True}
        )
        assert isinstance(stream, openai.AsyncStream)
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(main()) == ANSWER
    assert_chat_span(llm_span(kalmia_url, project), streamed=True)


def test_streamed_tool_calls_are_assembled_into_the_output(openai_client, kalmia_url, project):
    messages = [{"role": "user", "content": "Weather in Tokyo and New York?"}]
    stream = openai_client.chat.completions.create(model="gpt-4o", messages=messages, tools=[WEATHER_TOOL], stream=True)
    for _ in stream:
        pass
    span = llm_span(kalmia_url, project)
    calls = span["output"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["get_weather", "get_weather"]
    assert [json.loads(c["function"]["arguments"]) for c in calls] == [{"city": "Tokyo"}, {"city": "New York"}]
    assert all(c["id"] for c in calls)
    assert span["metadata"]["tools"] == [WEATHER_TOOL]
    assert span["metadata"]["finish_reason"] == "tool_calls"


def test_chat_parse_is_traced(openai_client, kalmia_url, project):
    completion = openai_client.chat.completions.parse(model="gpt-4o", messages=HELLO)
    assert completion.choices[0].message.content == ANSWER
    span = llm_span(kalmia_url, project)
    assert span["name"] == "openai.chat.completions.parse"
    assert span["output"]["content"] == ANSWER


def test_async_chat_parse_is_traced(async_openai_client, kalmia_url, project):
    completion = asyncio.run(async_openai_client.chat.completions.parse(model="gpt-4o", messages=HELLO))
    assert completion.choices[0].message.content == ANSWER
    assert llm_span(kalmia_url, project)["name"] == "openai.chat.completions.parse"


def test_raw_response_is_returned_and_its_parsed_body_traced(openai_client, kalmia_url, project):
    raw = openai_client.chat.completions.with_raw_response.create(model="gpt-4o", messages=HELLO)
    assert raw.headers.get("x-request-id", "").startswith("req_fake")
    assert isinstance(raw.parse(), ChatCompletion)
    assert_chat_span(llm_span(kalmia_url, project), streamed=False)


def test_async_raw_response_streamed_is_traced(async_openai_client, kalmia_url, project):
    async def main():
        raw = await async_openai_client.chat.completions.with_raw_response.create(
            model="gpt-4o", messages=HELLO, stream=True, stream_options={"include_usage": True}
        )
        stream = raw.parse()
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(main()) == ANSWER
    assert_chat_span(llm_span(kalmia_url, project), streamed=True)


def assert_responses_span(span) -> None:
    assert span["name"] == "openai.responses.create"
    assert span["status"] == "ok"
    assert span["input"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello!"}]
    texts = [part["text"] for item in span["output"] if item["type"] == "message" for part in item["content"]]
    assert texts == [ANSWER]
    assert span["metrics"]["prompt_tokens"] > 0 and span["metrics"]["completion_tokens"] > 0


def test_responses_create_is_traced(openai_client, kalmia_url, project):
    response = openai_client.responses.create(model="gpt-4o", instructions="Be brief.", input="Hello!")
    assert isinstance(response, Response)
    assert response.output_text == ANSWER
    assert_responses_span(llm_span(kalmia_url, project))


def test_async_responses_create_is_traced(async_openai_client, kalmia_url, project):
    response = asyncio.run(async_openai_client.responses.create(model="gpt-4o", instructions="Be brief.", input="Hello!"))
    assert isinstance(response, Response)
    assert_responses_span(llm_span(kalmia_url, project))


def test_streamed_responses_are_traced(openai_client, kalmia_url, project):
    stream = openai_client.responses.create(model="gpt-4o", instructions="Be brief.", input="Hello!", stream=True)
    assert isinstance(stream, openai.Stream)
    assert [e.type for e in stream][-1] == "response.completed"
    assert_responses_span(llm_span(kalmia_url, project))


def test_async_streamed_responses_are_traced(async_openai_client, kalmia_url, project):
    async def main():
        stream = await async_openai_client.responses.create(
            model="gpt-4o", instructions="Be brief.", input="Hello!", stream=True
        )
        return [e.type async for e in stream]

    assert asyncio.run(main())[-1] == "response.completed"
    assert_responses_span(llm_span(kalmia_url, project))


def test_embeddings_are_traced_without_the_vectors(openai_client, kalmia_url, project):
    result = openai_client.embeddings.create(model="text-embedding-3-small", input="Hello!", dimensions=8)
    assert len(result.data[0].embedding) == 8
    span = llm_span(kalmia_url, project)
    assert span["name"] == "openai.embeddings.create"
    assert span["input"] == "Hello!"
    assert span["output"] == {"embeddings": 1, "dimensions": 8}
    assert span["metrics"]["prompt_tokens"] > 0


def test_async_embeddings_are_traced(async_openai_client, kalmia_url, project):
    result = asyncio.run(async_openai_client.embeddings.create(model="text-embedding-3-small", input=["a", "b"]))
    assert len(result.data) == 2
    assert llm_span(kalmia_url, project)["output"]["embeddings"] == 2


@pytest.mark.parametrize("status, error_type", [(429, openai.RateLimitError), (500, openai.InternalServerError)])
def test_provider_errors_reach_the_app_unchanged_and_are_recorded(openai_client, kalmia_url, project, status, error_type):
    with pytest.raises(error_type):
        openai_client.chat.completions.create(
            model="gpt-4o", messages=HELLO, extra_headers={"x-fake-scenario": f"error-{status}"}
        )
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error"
    assert error_type.__name__ in str(span["error"])
    assert span["metadata"]["status_code"] == status


def test_async_provider_error_is_recorded(async_openai_client, kalmia_url, project):
    with pytest.raises(openai.BadRequestError):
        asyncio.run(
            async_openai_client.chat.completions.create(
                model="gpt-4o", messages=HELLO, extra_headers={"x-fake-scenario": "error-400"}
            )
        )
    assert llm_span(kalmia_url, project)["metadata"]["status_code"] == 400


def test_the_wrapped_client_is_still_an_openai_client_and_copies_stay_traced(openai_client, kalmia_url, project):
    assert isinstance(openai_client, openai.OpenAI)
    copy = openai_client.with_options(timeout=30)
    assert isinstance(copy, openai.OpenAI)
    copy.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert_chat_span(llm_span(kalmia_url, project), streamed=False)


def test_a_streamed_refusal_is_recorded(openai_client, kalmia_url, project):
    stream = openai_client.chat.completions.create(
        model="gpt-4o", messages=HELLO, stream=True, extra_headers={"x-fake-scenario": "refusal"}
    )
    refusal = "".join(c.choices[0].delta.refusal or "" for c in stream if c.choices)
    assert refusal
    span = llm_span(kalmia_url, project)
    assert span["output"]["refusal"] == refusal and span["output"]["content"] is None


def test_a_failed_streamed_response_is_recorded_as_an_error(openai_client, kalmia_url, project):
    stream = openai_client.responses.create(
        model="gpt-4o", input="Hello!", stream=True, extra_headers={"x-fake-scenario": "mid-stream-error"}
    )
    events = [e.type for e in stream]  # the client itself raises nothing: the failure is an event
    assert events[-1] == "response.failed"
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error" and span["error"]
    assert span["metadata"]["response_status"] == "failed"


def test_the_chat_stream_helper_is_traced_through_create(openai_client, kalmia_url, project):
    with openai_client.chat.completions.stream(
        model="gpt-4o", messages=HELLO, stream_options={"include_usage": True}
    ) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content == ANSWER
    assert_chat_span(llm_span(kalmia_url, project), streamed=True)


def test_the_async_responses_stream_helper_is_traced_through_create(async_openai_client, kalmia_url, project):
    async def main():
        async with async_openai_client.responses.stream(
            model="gpt-4o", instructions="Be brief.", input="Hello!"
        ) as stream:
            return await stream.get_final_response()

    assert asyncio.run(main()).output_text == ANSWER
    assert_responses_span(llm_span(kalmia_url, project))


def test_responses_parse_is_traced(openai_client, kalmia_url, project):
    response = openai_client.responses.parse(model="gpt-4o", instructions="Be brief.", input="Hello!")
    assert response.output_text == ANSWER
    span = llm_span(kalmia_url, project)
    assert span["name"] == "openai.responses.parse" and span["status"] == "ok"


def test_wrapping_twice_still_makes_one_span_per_call(openai_client, kalmia_url, project):
    import kalmia_sdk

    assert kalmia_sdk.wrap_openai(openai_client) is openai_client
    openai_client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert_chat_span(llm_span(kalmia_url, project), streamed=False)


def test_an_object_that_is_not_an_openai_client_comes_back_unwrapped_with_a_warning():
    import kalmia_sdk
    from kalmia_sdk import _patch

    _patch._warned.discard("wrap_openai")
    with pytest.warns(UserWarning, match="unwrapped"):
        thing = kalmia_sdk.wrap_openai("not a client")
    assert thing == "not a client"


def test_a_wrapped_call_is_priced_on_its_span_and_trace(openai_client, kalmia_url, project):
    completion = openai_client.chat.completions.create(model="gpt-4o", messages=HELLO)
    span = llm_span(kalmia_url, project)
    # gpt-4o: $2.50 / $10 per million prompt / completion tokens.
    expected = (completion.usage.prompt_tokens * 2.5 + completion.usage.completion_tokens * 10) / 1e6
    assert span["metrics"]["cost_usd"] == pytest.approx(expected, abs=1e-12)
    trace = get_json(f"{kalmia_url}/api/v1/traces/{span['trace_id']}")
    assert trace["cost_usd"] == pytest.approx(expected, abs=1e-12)
