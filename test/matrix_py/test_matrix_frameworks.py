"""Frameworks on the paths they are used with: openai-agents (Responses and chat-completions models,
run and run_streamed) through the proxy, the Kalmia SDK and OpenInference; LangChain's ChatOpenAI and
ChatAnthropic and LiteLLM through the proxy and, where the framework's client can be wrapped, the SDK."""
from __future__ import annotations

import asyncio
import json

import pytest

from matrix_py_paths import Path, quiet_agents_tracing
from matrix_py_support import ANSWER, SYSTEM, check_llm_span

FINAL = "Based on the tool results"


# --- openai-agents ---------------------------------------------------------------------------------
def weather_agent(api: str):
    import agents

    quiet_agents_tracing()

    @agents.function_tool
    def get_weather(city: str) -> str:
        """Get weather for a city."""
        return f"{city}: 18C"

    return agents.Agent(name="weather", instructions=SYSTEM, tools=[get_weather], model="gpt-4o"), api


def run_agent(client, api: str, streamed: bool) -> str:
    """The weather agent's run with `client` as its OpenAI client, on `api`, streamed or not."""
    import agents

    agent, _ = weather_agent(api)
    agents.set_default_openai_client(client, use_for_tracing=False)
    agents.set_default_openai_api(api)

    async def main() -> str:
        if streamed:
            result = agents.Runner.run_streamed(agent, "Weather in Tokyo and New York?")
            async for _ in result.stream_events():
                pass
            return str(result.final_output)
        return str((await agents.Runner.run(agent, "Weather in Tokyo and New York?")).final_output)

    return asyncio.run(main())


AGENT_CASES = {
    "responses_run": ("responses", False),
    "responses_run_streamed": ("responses", True),
    "chat_run_streamed": ("chat_completions", True),
}


@pytest.mark.parametrize("path_name", ["proxy", "sdk", "otel"])
@pytest.mark.parametrize("case", list(AGENT_CASES))
def test_openai_agents(stack, path_name, case):
    api, streamed = AGENT_CASES[case]
    path = Path(path_name, stack, f"agents-{case}-{path_name}")
    with path.case():
        final = run_agent(path.async_openai(), api, streamed)
    assert final.startswith(FINAL)
    spans = path.llm_spans(2)
    if path_name == "otel":
        # The agents instrumentation's own model spans (OpenInference's OpenAI one adds its own too).
        spans = [span for span in spans if "openai_agents" in str(span["metadata"].get("otel.scope"))]
    first, last = spans[0], spans[-1]
    # The agents' generation and response spans carry no first-token time (docs/integrations/openai-agents.md).
    # Its chat-completions model streams without include_usage unless told to: no tokens to record.
    gaps = frozenset({"ttft"} | ({"tokens"} if api == "chat_completions" else set())) if path_name == "otel" else frozenset()
    check_llm_span(first, path_name, model="gpt-4o", provider="openai", text=None, tool="get_weather", streamed=streamed, gaps=gaps)
    check_llm_span(last, path_name, model="gpt-4o", provider="openai", text=FINAL, streamed=streamed, gaps=gaps)
    if path_name == "otel":
        # The agents' own spans nest the model calls and the tool calls under the agent run.
        [trace] = path.traces(spans=4)
        names = {span["name"] for span in trace["spans"]}
        assert "weather" in names and "get_weather" in names, names
        by_id = {span["span_id"]: span for span in trace["spans"]}
        agent_span = next(span for span in trace["spans"] if span["name"] == "weather")
        for span in trace["spans"]:
            if span["type"] in ("llm", "tool"):
                assert agent_span["span_id"] in ancestors(span, by_id), span["name"]


def ancestors(span, by_id):
    seen = []
    while span["span_parents"]:
        parent = span["span_parents"][0]
        seen.append(parent)
        if parent not in by_id:
            break
        span = by_id[parent]
    return seen


# --- LangChain -------------------------------------------------------------------------------------
def chat_openai(path: Path):
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(model="gpt-4o", base_url=path.openai_base(), api_key="sk-test", max_retries=0, default_headers=path._headers())
    if path.name == "sdk":
        import kalmia_sdk

        # ChatOpenAI calls through its own openai client: wrapped in place, every call is traced.
        kalmia_sdk.wrap_openai(llm.root_client)
    return llm


def chat_anthropic(path: Path):
    from langchain_anthropic import ChatAnthropic

    return ChatAnthropic(model="claude-sonnet-4-5", base_url=path.anthropic_base(), api_key="sk-ant-test", max_retries=0, default_headers=path._headers())


LANGCHAIN = [("system", SYSTEM), ("user", "Hello!")]


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
@pytest.mark.parametrize("path_name", ["proxy", "sdk"])
def test_langchain_chat_openai(stack, path_name, streamed):
    path = Path(path_name, stack, f"langchain-openai-{'stream' if streamed else 'invoke'}-{path_name}")
    llm = chat_openai(path)
    text = "".join(chunk.content for chunk in llm.stream(LANGCHAIN)) if streamed else llm.invoke(LANGCHAIN).content
    assert text == ANSWER
    check_llm_span(path.llm_spans()[0], path_name, model="gpt-4o", provider="openai", streamed=streamed)


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
def test_langchain_chat_anthropic_through_the_proxy(stack, streamed):
    path = Path("proxy", stack, f"langchain-anthropic-{'stream' if streamed else 'invoke'}")
    llm = chat_anthropic(path)
    text = "".join(str(chunk.content if isinstance(chunk.content, str) else "".join(part.get("text", "") for part in chunk.content)) for chunk in llm.stream(LANGCHAIN)) if streamed else llm.invoke(LANGCHAIN).content
    assert text == ANSWER
    check_llm_span(path.llm_spans()[0], "proxy", model="claude-sonnet-4-5", provider="anthropic", streamed=streamed)


# --- LiteLLM ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("streamed", [False, True], ids=["completion", "stream"])
@pytest.mark.parametrize("model", ["openai/gpt-4o", "anthropic/claude-sonnet-4-5"])
def test_litellm_through_the_proxy(stack, model, streamed):
    import litellm

    path = Path("proxy", stack, f"litellm-{model.split('/')[0]}-{'stream' if streamed else 'completion'}")
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Hello!"}]
    base = path.openai_base() if model.startswith("openai/") else path.anthropic_base().removesuffix("/api/v1") + "/api/v1"
    key = "sk-test" if model.startswith("openai/") else "sk-ant-test"
    answer = litellm.completion(model=model, messages=messages, api_base=base, api_key=key, extra_headers=path._headers(), stream=streamed, max_tokens=256)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in answer) if streamed else answer.choices[0].message.content
    assert text == ANSWER
    provider = model.split("/")[0]
    check_llm_span(path.llm_spans()[0], "proxy", model=model.split("/")[1], provider=provider, streamed=streamed)


# --- openai-agents with Kalmia's own tracing processor ---------------------------------------------
@pytest.mark.parametrize("case", list(AGENT_CASES))
def test_openai_agents_with_the_kalmia_tracing_processor(stack, case):
    """One Kalmia trace per run: the workflow, the agent, each model call (output, tool calls,
    tokens) and each tool call, nested as the agents nested them."""
    import agents
    from kalmia_sdk.integrations.openai_agents import KalmiaTracingProcessor

    from matrix_py_paths import direct_async_openai
    from matrix_py_support import new_project, sdk_logger

    api, streamed = AGENT_CASES[case]
    project = new_project(f"agents-processor-{case}")
    sdk_logger(stack, project)
    quiet_agents_tracing()  # before ours: it drops every processor once per process
    agents.set_trace_processors([KalmiaTracingProcessor()])
    try:
        assert run_agent(direct_async_openai(stack), api, streamed).startswith(FINAL)
    finally:
        agents.set_trace_processors([])
    import kalmia_sdk

    assert kalmia_sdk.flush(timeout=15)
    [trace] = stack.finished_traces(project, 1, spans=6)
    spans = trace["spans"]
    root = next(span for span in spans if not span["span_parents"])
    assert root["type"] == "task" and root["name"] == "Agent workflow"
    agent_span = next(span for span in spans if span["name"] == "weather")
    by_id = {span["span_id"]: span for span in spans}
    assert agent_span["type"] == "task" and root["span_id"] in ancestors(agent_span, by_id)
    llm = sorted((span for span in spans if span["type"] == "llm"), key=lambda span: span["metrics"]["start"])
    tools = [span for span in spans if span["type"] == "tool"]
    assert len(llm) == 2 and [span["name"] for span in tools] == ["get_weather", "get_weather"]
    for span in llm + tools:
        assert agent_span["span_id"] in ancestors(span, by_id), span["name"]
    # Its chat-completions model streams without usage unless told to (ModelSettings(include_usage=True)).
    gaps = frozenset({"tokens"}) if api == "chat_completions" and streamed else frozenset()
    check_llm_span(llm[0], "sdk", model="gpt-4o", provider="openai", text=None, tool="get_weather", gaps=gaps)
    check_llm_span(llm[1], "sdk", model="gpt-4o", provider="openai", text=FINAL, gaps=gaps)
    assert sorted(json.dumps(span["input"]) for span in tools) == ['{"city": "New York"}', '{"city": "Tokyo"}']
    assert all("18C" in json.dumps(span["output"]) for span in tools)
