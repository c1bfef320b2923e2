"""The docs' proxy examples, verbatim apart from the host, with the real openai and anthropic packages."""

import json
import time
import urllib.request

import anthropic
import openai
import pytest
from anthropic import Anthropic
from openai import OpenAI

FAKE_TEXT = "Hello! This is the fake upstream, answering deterministically."


def traces(kalmia, project, count=1):
    """The project's traces once `count` are stored: a call is recorded after its answer went out."""
    for _ in range(200):
        with urllib.request.urlopen(f"{kalmia}/api/v1/traces?project={project}") as response:
            listed = json.load(response)["traces"]
        if len(listed) >= count:
            return listed
        time.sleep(0.025)
    return listed


def finished_trace(kalmia, trace_id):
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{kalmia}/api/v1/traces/{trace_id}") as response:
                trace = json.load(response)
            if trace["spans"] and all(span["status"] != "running" for span in trace["spans"]):
                return trace
        except urllib.error.HTTPError:
            pass
        time.sleep(0.025)
    raise AssertionError(f"trace {trace_id} did not finish")


def test_openai_proxy_example_answers_and_records(kalmia):
    client = OpenAI(
        base_url=f"{kalmia}/api/v1",
        api_key="sk-...",
        default_headers={"x-kalmia-project": "py-openai"},
    )
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Hello!"}],
    )
    response = raw.parse()
    assert response.choices[0].message.content == FAKE_TEXT
    trace = finished_trace(kalmia, raw.headers["x-kalmia-trace-id"])
    assert trace["project"] == "py-openai"
    assert trace["source"] == "proxy"
    assert trace["status"] == "ok"
    span = trace["spans"][0]
    assert span["input"] == [{"role": "user", "content": "Hello!"}]
    assert span["output"]["content"] == FAKE_TEXT
    assert span["metrics"]["prompt_tokens"] == response.usage.prompt_tokens


def test_docs_streaming_loop_works_through_the_proxy_and_usage_is_recorded(kalmia):
    client = OpenAI(base_url=f"{kalmia}/api/v1", api_key="sk-...", default_headers={"x-kalmia-project": "py-stream"})
    stream = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Tell me a story"}],
        stream=True,
    )
    printed = ""
    # The docs' loop indexes choices[0] on every chunk: a usage-only chunk would break it.
    for chunk in stream:
        if chunk.choices[0].delta.content:
            printed += chunk.choices[0].delta.content
    assert printed == FAKE_TEXT
    [listed] = traces(kalmia, "py-stream")
    trace = finished_trace(kalmia, listed["id"])
    assert trace["completion_tokens"] > 0
    assert trace["spans"][0]["output"]["content"] == FAKE_TEXT


def test_anthropic_proxy_example_answers_and_records(kalmia):
    client = anthropic.Anthropic(
        base_url=f"{kalmia}/api/v1",
        api_key="sk-ant-...",
        default_headers={"x-kalmia-project": "py-anthropic"},
    )
    message = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=1024,
        messages=[{"role": "user", "content": "Hello!"}],
    )
    assert message.content[0].text == FAKE_TEXT
    [listed] = traces(kalmia, "py-anthropic")
    trace = finished_trace(kalmia, listed["id"])
    assert trace["provider"] == "anthropic"
    assert trace["model"] == "claude-sonnet-4-20250514"
    assert trace["spans"][0]["output"]["content"] == [{"type": "text", "text": FAKE_TEXT}]


def test_anthropic_weather_agent_loop_through_the_proxy(kalmia):
    client = Anthropic(base_url=f"{kalmia}/api/v1", api_key="sk-ant-...", default_headers={"x-kalmia-project": "py-agent"})
    tools = [{
        "name": "get_weather",
        "description": "Get weather for a city",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    }]
    messages = [{"role": "user", "content": "Compare weather in Tokyo, New York, and San Francisco"}]
    cities = []
    while True:
        with client.messages.stream(model="claude-sonnet-4-20250514", max_tokens=1024, tools=tools, messages=messages) as stream:
            response = stream.get_final_message()
        tool_uses = [b for b in response.content if b.type == "tool_use"]
        if not tool_uses:
            answer = response.content[0].text
            break
        cities += [t.input["city"] for t in tool_uses]
        messages.append({"role": "assistant", "content": [b.model_dump() for b in response.content]})
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": t.id, "content": json.dumps({"city": t.input["city"], "temp": 20})}
            for t in tool_uses
        ]})
    assert cities == ["Tokyo", "New York"]
    assert answer.startswith("Based on the tool results")
    recorded = [finished_trace(kalmia, t["id"]) for t in traces(kalmia, "py-agent", 2)]
    assert len(recorded) == 2
    outputs = [t["spans"][0]["output"]["content"] for t in recorded]
    tool_inputs = [b["input"] for content in outputs for b in content if b["type"] == "tool_use"]
    assert tool_inputs == [{"city": "Tokyo"}, {"city": "New York"}]


def test_rate_limit_reaches_the_python_clients_as_their_typed_errors(kalmia):
    oai = OpenAI(base_url=f"{kalmia}/api/v1", api_key="sk-...", max_retries=0)
    with pytest.raises(openai.RateLimitError) as raised:
        oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}], extra_headers={"x-fake-scenario": "error-429"})
    assert raised.value.response.headers["retry-after"] == "1"
    claude = Anthropic(base_url=f"{kalmia}/api/v1", api_key="sk-ant-...", max_retries=0)
    with pytest.raises(anthropic.InternalServerError):
        claude.messages.create(model="claude-sonnet-4-20250514", max_tokens=10, messages=[{"role": "user", "content": "x"}], extra_headers={"x-fake-scenario": "error-500"})
