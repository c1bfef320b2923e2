"""The docs' Python examples, run as written in a fresh interpreter that exits right after them.

Only the environment differs from a user's machine (sdk_py_helpers.docs_example_env)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sdk_py_helpers import delivered_traces, docs_example_env

EXAMPLES = Path(__file__).parent / "docs_examples"
DOCS = Path(__file__).resolve().parents[4] / "shared" / "seed" / "kalmia-docs.txt"


def run_examples(kalmia_url: str, fake_upstream: str, *names: str) -> str:
    env = docs_example_env(kalmia_url, fake_upstream)
    paths = [str(EXAMPLES / f"{name}.py") for name in names]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "run_examples.py"), *paths], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not DOCS.exists(), reason="the docs are not beside this checkout")
@pytest.mark.parametrize("name", ["quick_start", "weather_agent", "wrap_openai", "wrap_anthropic", "streaming"])
def test_each_example_is_the_docs_text_to_the_letter(name):
    # The docs as stored lost their indentation; every other character must match.
    assert squeeze((EXAMPLES / f"{name}.py").read_text()) in squeeze(DOCS.read_text())


def test_quick_start_makes_one_trace_with_the_llm_call_inside_the_run(kalmia_url, fake_upstream):
    run_examples(kalmia_url, fake_upstream, "quick_start")
    (trace,) = delivered_traces(kalmia_url, "my-agent", 1, spans_each=2)
    spans = {s["name"]: s for s in trace["spans"]}
    assert sorted(spans) == ["anthropic.messages.create", "my-agent-run"]
    root, llm = spans["my-agent-run"], spans["anthropic.messages.create"]
    assert root["input"] == {"prompt": "What is the capital of France?"}
    assert llm["span_parents"] == [root["span_id"]] and llm["type"] == "llm"
    assert llm["input"] == [{"role": "user", "content": "What is the capital of France?"}]
    assert root["output"] == llm["output"]["content"][0]["text"]
    assert trace["status"] == "ok" and trace["project"] == "my-agent"


def test_weather_agent_makes_one_trace_with_llm_and_tool_spans_in_order(kalmia_url, fake_upstream):
    run_examples(kalmia_url, fake_upstream, "weather_agent")
    (trace,) = delivered_traces(kalmia_url, "weather-agent", 1, spans_each=5)
    spans = trace["spans"]
    (root,) = [s for s in spans if not s["span_parents"]]
    assert (root["name"], root["type"]) == ("weather-agent", "function")
    # The server keeps times to the millisecond, so order by time only where calls are that far apart.
    first_llm, last_llm = sorted((s for s in spans if s["type"] == "llm"), key=lambda s: s["metrics"]["start"])
    tools = [s for s in spans if s["type"] == "tool"]
    assert len(spans) == 5 and len(tools) == 2 and {s["name"] for s in tools} == {"get_weather"}
    assert all(s["span_parents"] == [root["span_id"]] for s in spans if s is not root)
    assert all(first_llm["metrics"]["end"] <= t["metrics"]["start"] <= last_llm["metrics"]["start"] for t in tools)
    by_city = {t["input"]["city"]: t for t in tools}
    assert sorted(by_city) == ["New York", "Tokyo"]
    assert by_city["Tokyo"]["output"]["city"] == "Tokyo" and by_city["New York"]["output"]["temp_c"] == 12
    tool_uses = [b for b in first_llm["output"]["content"] if b["type"] == "tool_use"]
    assert [b["input"] for b in tool_uses] == [{"city": "Tokyo"}, {"city": "New York"}]
    # The first call's input is the conversation as it was then, not as the agent grew it later.
    assert first_llm["input"] == [{"role": "user", "content": "Compare weather in Tokyo, New York, and San Francisco"}]
    assert [m["role"] for m in last_llm["input"]] == ["user", "assistant", "user"]
    assert last_llm["input"][2]["content"][0]["type"] == "tool_result"
    assert root["output"] == last_llm["output"]["content"][0]["text"]
    assert trace["status"] == "ok"


def test_wrap_examples_and_streaming_make_one_trace_per_call(kalmia_url, fake_upstream):
    run_examples(kalmia_url, fake_upstream, "wrap_anthropic")
    output = run_examples(kalmia_url, fake_upstream, "wrap_openai", "streaming")
    assert output.startswith("Hello!")
    traces = delivered_traces(kalmia_url, "my-project", 3)
    assert sorted(t["spans"][0]["name"] for t in traces) == [
        "anthropic.messages.create", "openai.chat.completions.create", "openai.chat.completions.create",
    ]
    streamed = [t["spans"][0] for t in traces if t["spans"][0]["input"][0]["content"] == "Tell me a story"]
    assert streamed[0]["output"]["content"] == output
