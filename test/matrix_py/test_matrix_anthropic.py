"""The anthropic package on every path: the caller receives what the fake provider sends directly,
and the stored llm span holds model, provider, system prompt, output (tool_use included), tokens,
cost where priced, and time to first token for streams."""
from __future__ import annotations

import asyncio

import anthropic
import pytest

from matrix_py_paths import Path, direct_anthropic, failure
from matrix_py_support import ANSWER, SYSTEM, check_error_span, check_llm_span

PATHS = ["proxy", "sdk", "otel"]
MODEL = "claude-sonnet-4-5"
HELLO = dict(model=MODEL, max_tokens=256, system=SYSTEM, messages=[{"role": "user", "content": "Hello!"}])
TOOLS = [{"name": "get_weather", "description": "Get weather for a city", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
WEATHER = dict(HELLO, messages=[{"role": "user", "content": "Weather in Tokyo?"}], tools=TOOLS)


def message(client):
    return client.messages.create(**HELLO).model_dump()


def message_stream(client):
    return [event.to_dict() for event in client.messages.create(**HELLO, stream=True)]


def tools(client):
    return client.messages.create(**WEATHER).model_dump()


def tools_stream(client):
    return [event.to_dict() for event in client.messages.create(**WEATHER, stream=True)]


def stream_helper(client):
    with client.messages.stream(**HELLO) as stream:
        text = "".join(stream.text_stream)
        return text, stream.get_final_message().model_dump()


def raw_response(client):
    raw = client.messages.with_raw_response.create(**HELLO)
    return raw.status_code, raw.parse().model_dump()


def streaming_response(client):
    with client.messages.with_streaming_response.create(**HELLO, stream=True) as response:
        return [event.to_dict() for event in response.parse()]


CASES = {
    "message": (message, False, None, ANSWER),
    "message_stream": (message_stream, True, None, ANSWER),
    "tools": (tools, False, "get_weather", None),
    "tools_stream": (tools_stream, True, "get_weather", None),
    "stream_helper": (stream_helper, True, None, ANSWER),
    "raw_response": (raw_response, False, None, ANSWER),
    "streaming_response": (streaming_response, True, None, ANSWER),
}

# What OpenInference's Anthropic instrumentation puts on no span (docs/integrations/anthropic.md):
# no first-token event on streams, and nothing of a `with_streaming_response` body.
GAPS = {
    ("otel", "message_stream"): frozenset({"ttft"}),
    ("otel", "tools_stream"): frozenset({"ttft"}),
    ("otel", "stream_helper"): frozenset({"ttft"}),
    ("otel", "streaming_response"): frozenset({"ttft", "output", "tokens"}),
}


@pytest.mark.parametrize("path_name", PATHS)
@pytest.mark.parametrize("case", list(CASES))
def test_anthropic_call(stack, path_name, case):
    call, streamed, tool, text = CASES[case]
    path = Path(path_name, stack, f"anthropic-{case}-{path_name}")
    with path.case():
        received = call(path.anthropic())
    assert received == call(direct_anthropic(stack))
    gaps = GAPS.get((path_name, case), frozenset())
    check_llm_span(path.llm_spans()[0], path_name, model=MODEL, provider="anthropic", text=text, tool=tool, streamed=streamed, gaps=gaps)


@pytest.mark.parametrize("path_name", PATHS)
def test_anthropic_async_message(stack, path_name):
    path = Path(path_name, stack, f"anthropic-async-{path_name}")

    async def call(client):
        return (await client.messages.create(**HELLO)).model_dump()

    with path.case():
        received = asyncio.run(call(path.async_anthropic()))
    assert received == asyncio.run(call(anthropic.AsyncAnthropic(base_url=stack.upstream, api_key="sk-ant-test", max_retries=0)))
    check_llm_span(path.llm_spans()[0], path_name, model=MODEL, provider="anthropic")


@pytest.mark.parametrize("status", [429, 401])
@pytest.mark.parametrize("path_name", PATHS)
def test_anthropic_provider_error(stack, path_name, status):
    path = Path(path_name, stack, f"anthropic-{status}-{path_name}")
    scenario = {"x-fake-scenario": f"error-{status}"}
    with path.case():
        received = failure(lambda: path.anthropic().messages.create(**HELLO, extra_headers=scenario))
    assert received == failure(lambda: direct_anthropic(stack).messages.create(**HELLO, extra_headers=scenario))
    assert received["status"] == status
    check_error_span(path.llm_spans()[0], status, received["body"]["error"]["message"][:15])


def test_anthropic_models_pass_through_the_proxy_unrecorded(stack):
    path = Path("proxy", stack, "anthropic-models")
    assert [m.id for m in path.anthropic().models.list()] == [m.id for m in direct_anthropic(stack).models.list()]
    assert path.anthropic().models.retrieve(MODEL) == direct_anthropic(stack).models.retrieve(MODEL)
    assert stack.traces(path.project) == []


def test_anthropic_proxy_without_kalmia_key_is_401(stack):
    client = anthropic.Anthropic(base_url=f"{stack.kalmia}/api/v1", api_key="sk-ant-test", max_retries=0)
    assert failure(lambda: client.messages.create(**HELLO))["status"] == 401
    assert failure(lambda: client.models.list())["status"] == 401
