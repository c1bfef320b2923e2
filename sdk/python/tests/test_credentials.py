"""The wrapped client's API key is never sent to Kalmia, whatever echoes it: a provider's error
message, the answer itself, or the app's own prompt and metadata (the fake upstream's `echo-key`
scenario repeats the key in its answer and its errors)."""
from __future__ import annotations

import asyncio
import json

import anthropic
import openai
import pytest
from sdk_py_helpers import llm_span, only_trace

import kalmia_sdk

OPENAI_KEY = "sk-proj-never-stored-0123456789abcdef"
ANTHROPIC_KEY = "sk-ant-api03-never-stored-fedcba987654"
ECHO_401 = {"x-fake-scenario": "echo-key, error-401"}
REDACTED = "[redacted]"


def leaking_chat(key: str) -> dict:
    return {
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": f"The key is {key}."}, {"role": "user", "content": "Hi"}],
        "user": key,
    }


def test_a_401_that_repeats_the_key_is_recorded_without_it(fake_upstream, kalmia_url, project):
    client = kalmia_sdk.wrap_openai(openai.OpenAI(base_url=f"{fake_upstream}/v1", api_key=OPENAI_KEY, max_retries=0))
    with pytest.raises(openai.AuthenticationError) as raised:
        client.chat.completions.create(**leaking_chat(OPENAI_KEY), extra_headers=ECHO_401)
    assert OPENAI_KEY in str(raised.value)
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error"
    assert OPENAI_KEY not in json.dumps(span)
    assert f"Key provided: {REDACTED}." in json.dumps(span["error"])
    assert span["input"][0]["content"] == f"The key is {REDACTED}."
    assert span["metadata"]["user"] == REDACTED


def test_an_async_401_that_repeats_the_key_is_recorded_without_it(fake_upstream, kalmia_url, project):
    client = kalmia_sdk.wrap_openai(openai.AsyncOpenAI(base_url=f"{fake_upstream}/v1", api_key=OPENAI_KEY, max_retries=0))
    with pytest.raises(openai.AuthenticationError):
        asyncio.run(client.chat.completions.create(**leaking_chat(OPENAI_KEY), extra_headers=ECHO_401))
    span = llm_span(kalmia_url, project)
    assert span["status"] == "error"
    assert OPENAI_KEY not in json.dumps(span)


def test_a_streamed_answer_that_repeats_the_key_is_recorded_without_it(fake_upstream, kalmia_url, project):
    client = kalmia_sdk.wrap_anthropic(anthropic.Anthropic(base_url=fake_upstream, api_key=ANTHROPIC_KEY, max_retries=0))
    stream = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=100,
        messages=[{"role": "user", "content": "Hi"}],
        stream=True,
        extra_headers={"x-fake-scenario": "echo-key"},
    )
    text = "".join(event.delta.text for event in stream if event.type == "content_block_delta")
    assert ANTHROPIC_KEY in text
    span = llm_span(kalmia_url, project)
    assert OPENAI_KEY not in json.dumps(span) and ANTHROPIC_KEY not in json.dumps(span)
    assert f"Your key is {REDACTED}." in span["output"]["content"][0]["text"]


def test_a_traced_function_that_records_the_error_does_not_record_the_key(fake_upstream, kalmia_url, project):
    client = kalmia_sdk.wrap_openai(openai.OpenAI(base_url=f"{fake_upstream}/v1", api_key=OPENAI_KEY, max_retries=0))

    @kalmia_sdk.traced
    def agent() -> None:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], extra_headers=ECHO_401)

    with pytest.raises(openai.AuthenticationError):
        agent()
    trace = only_trace(kalmia_url, project, spans=2)
    assert OPENAI_KEY not in json.dumps(trace)
    assert all(span["status"] == "error" for span in trace["spans"])


def test_scrubbed_rows_stay_valid_json_whatever_surrounds_the_key():
    from kalmia_sdk._secrets import remember_client_keys, scrub_json

    class Client:
        api_key = 'n0123456"quoted\\key'

        @property
        def auth_token(self) -> str:
            raise RuntimeError("a client whose attribute raises is read without raising")

    remember_client_keys(Client())
    row = {"error": f"bad key {Client.api_key}!", Client.api_key: 1, "near": "\n0123456 is not the key", "n": 1234567890}
    scrubbed = json.loads(scrub_json(json.dumps(row, ensure_ascii=False)))
    assert scrubbed == {"error": f"bad key {REDACTED}!", REDACTED: 1, "near": "\n0123456 is not the key", "n": 1234567890}
