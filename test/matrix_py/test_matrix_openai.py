"""The openai package on every path: what the caller receives is what the fake provider sends it
directly, and the stored llm span holds model, provider, the system prompt, the output (tool calls
included), tokens, cost where priced, and time to first token for streams."""
from __future__ import annotations

import asyncio

import openai
import pytest

from matrix_py_paths import Path, direct_async_openai, direct_openai, failure
from matrix_py_support import ANSWER, SYSTEM, check_error_span, check_llm_span

PATHS = ["proxy", "sdk", "otel"]
MESSAGES = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Hello!"}]
WEATHER = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Weather in Tokyo and New York?"}]
TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Get weather for a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
}
RESPONSES_TOOL = {"type": "function", "name": "get_weather", "description": "Get weather for a city", "parameters": TOOL["function"]["parameters"]}


def chat(client):
    return client.chat.completions.create(model="gpt-4o", messages=MESSAGES).model_dump()


def chat_stream(client):
    # No stream_options: the caller asked for no usage, and must get none.
    return [chunk.to_dict() for chunk in client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)]


def chat_tools_stream(client):
    return [chunk.to_dict() for chunk in client.chat.completions.create(model="gpt-4o", messages=WEATHER, tools=[TOOL], stream=True)]


def chat_stream_helper(client):
    with client.chat.completions.stream(model="gpt-4o", messages=MESSAGES) as stream:
        events = [event.type for event in stream]
        return events, stream.get_final_completion().model_dump()


def chat_parse_tools(client):
    strict = {"type": "function", "function": {**TOOL["function"], "strict": True, "parameters": {**TOOL["function"]["parameters"], "additionalProperties": False}}}
    return client.chat.completions.parse(model="gpt-4o", messages=WEATHER, tools=[strict]).model_dump()


def responses(client):
    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input="Hello!").model_dump()


def responses_stream(client):
    return [event.to_dict() for event in client.responses.create(model="gpt-4o", instructions=SYSTEM, input="Hello!", stream=True)]


def responses_tools(client):
    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input="Weather in Tokyo?", tools=[RESPONSES_TOOL]).model_dump()


def raw_response(client):
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    return raw.status_code, raw.parse().model_dump()


def streaming_response(client):
    with client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=MESSAGES, stream=True) as response:
        return [chunk.to_dict() for chunk in response.parse()]


CASES = {
    # name: (call, streamed, tool in output, text in output)
    "chat": (chat, False, None, ANSWER),
    "chat_stream": (chat_stream, True, None, ANSWER),
    "chat_tools_stream": (chat_tools_stream, True, "get_weather", None),
    "chat_stream_helper": (chat_stream_helper, True, None, ANSWER),
    "chat_parse_tools": (chat_parse_tools, False, "get_weather", None),
    "responses": (responses, False, None, ANSWER),
    "responses_stream": (responses_stream, True, None, ANSWER),
    "responses_tools": (responses_tools, False, "get_weather", None),
    "raw_response": (raw_response, False, None, ANSWER),
    "streaming_response": (streaming_response, True, None, ANSWER),
}

# What a client sends nothing of cannot be recorded (docs/integrations say so per integration).
GAPS = {
    # OpenInference reads usage from the stream; a caller who asked for none gets none recorded.
    ("otel", "chat_stream"): frozenset({"tokens"}),
    ("otel", "chat_tools_stream"): frozenset({"tokens"}),
    ("otel", "chat_stream_helper"): frozenset({"tokens"}),
    ("otel", "streaming_response"): frozenset({"tokens"}),
}


@pytest.mark.parametrize("path_name", PATHS)
@pytest.mark.parametrize("case", list(CASES))
def test_openai_call(stack, path_name, case):
    call, streamed, tool, text = CASES[case]
    path = Path(path_name, stack, f"openai-{case}-{path_name}")
    with path.case():
        received = call(path.openai())
    assert received == call(direct_openai(stack))
    [span] = path.llm_spans()[:1]
    gaps = GAPS.get((path_name, case), frozenset())
    check_llm_span(span, path_name, model="gpt-4o", provider="openai", text=text, tool=tool, streamed=streamed, gaps=gaps)


@pytest.mark.parametrize("path_name", PATHS)
def test_openai_async_chat(stack, path_name):
    path = Path(path_name, stack, f"openai-async-{path_name}")

    async def call(client):
        return (await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)).model_dump()

    with path.case():
        received = asyncio.run(call(path.async_openai()))
    assert received == asyncio.run(call(direct_async_openai(stack)))
    check_llm_span(path.llm_spans()[0], path_name, model="gpt-4o", provider="openai")


@pytest.mark.parametrize("path_name", PATHS)
def test_openai_embeddings(stack, path_name):
    path = Path(path_name, stack, f"openai-embeddings-{path_name}")
    request = dict(model="text-embedding-3-small", input=["first text", "second text"])
    with path.case():
        received = path.openai().embeddings.create(**request).model_dump()
    assert received == direct_openai(stack).embeddings.create(**request).model_dump()
    [span] = path.llm_spans()
    check_llm_span(span, path_name, model="text-embedding-3-small", provider="openai", system=None, text=None, completion_tokens=False)
    assert span["metadata"]["kind"] == "embedding"


@pytest.mark.parametrize("status", [429, 401])
@pytest.mark.parametrize("path_name", PATHS)
def test_openai_provider_error(stack, path_name, status):
    path = Path(path_name, stack, f"openai-{status}-{path_name}")
    scenario = {"x-fake-scenario": f"error-{status}"}
    with path.case():
        received = failure(lambda: path.openai().chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers=scenario))
    assert received == failure(lambda: direct_openai(stack).chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers=scenario))
    assert received["status"] == status
    [span] = path.llm_spans()
    check_error_span(span, status, received["body"]["message"][:20])


def test_openai_models_pass_through_the_proxy_unrecorded(stack):
    path = Path("proxy", stack, "openai-models")
    assert path.openai().models.retrieve("gpt-4o") == direct_openai(stack).models.retrieve("gpt-4o")
    assert [m.id for m in path.openai().models.list()] == [m.id for m in direct_openai(stack).models.list()]
    assert stack.traces(path.project) == []


def test_proxy_without_kalmia_key_is_401_and_reaches_no_provider(stack):
    client = openai.OpenAI(base_url=f"{stack.kalmia}/api/v1", api_key="sk-test", max_retries=0)
    for call in (
        lambda: client.chat.completions.create(model="gpt-4o", messages=MESSAGES),
        lambda: client.embeddings.create(model="text-embedding-3-small", input="x"),
        lambda: client.models.retrieve("gpt-4o"),
    ):
        assert failure(call)["status"] == 401


def test_sdk_with_a_wrong_kalmia_key_stores_nothing_and_never_disturbs_the_call(stack):
    import kalmia_sdk

    from matrix_py_support import KEY, new_project

    project = new_project("openai-sdk-401")
    kalmia_sdk.init_logger(project_name=project, base_url=stack.kalmia, api_key=f"{KEY}-wrong")
    client = kalmia_sdk.wrap_openai(direct_openai(stack))
    assert chat(client) == chat(direct_openai(stack))
    kalmia_sdk.flush(timeout=5)
    assert stack.traces(project) == []


def test_otlp_without_kalmia_key_is_401(stack):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{stack.kalmia}/api/v1/otel/v1/traces", data=b'{"resourceSpans":[]}', headers={"content-type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
