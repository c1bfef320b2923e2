"""OpenTelemetry instrumentations beyond OpenInference's client ones, exporting OTLP to Kalmia: OpenLLMetry's
(traceloop's) OpenAI and Anthropic instrumentations, and OpenInference's LangChain and LiteLLM ones. They
patch classes process-wide, so this file runs as a family of its own (scripts/matrix-py.sh). Each cell
runs under a root span named after it, finds its trace by that name, and reads the instrumentation's own
llm span (by its scope: LangChain and LiteLLM call the openai client, which OpenLLMetry also sees)."""
from __future__ import annotations

import contextlib
from typing import Any, Dict, List

import anthropic
import openai
import pytest

from matrix_py_support import ANSWER, KEY, SYSTEM, Stack, check_llm_span, new_project

PROJECT = "matrix-instrumentations"
CLAUDE = "claude-sonnet-4-5"
MESSAGES = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Hello!"}]
WEATHER = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Weather in Tokyo?"}]
CHAT_TOOL = {"type": "function", "function": {"name": "get_weather", "description": "Get weather for a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
ANTHROPIC_TOOL = {"name": "get_weather", "description": "Get weather for a city", "input_schema": CHAT_TOOL["function"]["parameters"]}
_state: Dict[str, Any] = {}


def tracer(stack: Stack) -> Any:
    """The four instrumentations and a tracer provider exporting each span to Kalmia as it ends, once."""
    if "tracer" not in _state:
        from openinference.instrumentation.langchain import LangChainInstrumentor
        from openinference.instrumentation.litellm import LiteLLMInstrumentor
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.anthropic import AnthropicInstrumentor
        from opentelemetry.instrumentation.openai import OpenAIInstrumentor
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        provider = TracerProvider()
        exporter = OTLPSpanExporter(endpoint=f"{stack.kalmia}/api/v1/otel/v1/traces", headers={"authorization": f"Bearer {KEY}", "x-kalmia-project": PROJECT})
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        for instrumentor in (OpenAIInstrumentor(), AnthropicInstrumentor(), LangChainInstrumentor(), LiteLLMInstrumentor()):
            instrumentor.instrument(tracer_provider=provider)
        _state["tracer"] = provider.get_tracer("kalmia-matrix")
    return _state["tracer"]


@contextlib.contextmanager
def cell(stack: Stack, name: str):
    """A root span named after the cell; yields the name, to find the cell's trace by."""
    project = new_project(name)
    with tracer(stack).start_as_current_span(project):
        yield project


def llm_spans(stack: Stack, cell_name: str, scope: str, count: int = 1) -> List[Dict[str, Any]]:
    """The cell's llm spans from the instrumentation whose scope contains `scope`, oldest first."""
    spans: List[Dict[str, Any]] = []
    for _ in range(3):
        [trace] = stack.finished_traces(PROJECT, 1, q=cell_name, spans=count + 1)
        spans = [span for span in trace["spans"] if span["type"] == "llm" and scope in str(span["metadata"].get("otel.scope"))]
        if len(spans) >= count:
            break
    assert len(spans) >= count, trace["spans"]
    return sorted(spans, key=lambda span: span["metrics"]["start"])


# --- OpenLLMetry: openai and anthropic -------------------------------------------------------------
def openai_client(stack: Stack) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{stack.upstream}/v1", api_key="sk-test", max_retries=0)


def anthropic_client(stack: Stack) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=stack.upstream, api_key="sk-ant-test", max_retries=0)


def text_of_chunks(chunks) -> str:
    return "".join((chunk.choices[0].delta.content or "") for chunk in chunks if chunk.choices)


OPENLLMETRY_CASES = {
    # name: (call returning the text the caller got (or None for tool calls), provider, model, streamed, tool)
    "openai_chat": (lambda s: openai_client(s).chat.completions.create(model="gpt-4o", messages=MESSAGES).choices[0].message.content, "openai", "gpt-4o", False, None),
    "openai_chat_stream": (lambda s: text_of_chunks(openai_client(s).chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)), "openai", "gpt-4o", True, None),
    "openai_chat_tools": (lambda s: openai_client(s).chat.completions.create(model="gpt-4o", messages=WEATHER, tools=[CHAT_TOOL]) and None, "openai", "gpt-4o", False, "get_weather"),
    "openai_responses": (lambda s: openai_client(s).responses.create(model="gpt-4o", instructions=SYSTEM, input="Hello!").output_text, "openai", "gpt-4o", False, None),
    "anthropic_message": (lambda s: anthropic_client(s).messages.create(model=CLAUDE, max_tokens=256, system=SYSTEM, messages=[{"role": "user", "content": "Hello!"}]).content[0].text, "anthropic", CLAUDE, False, None),
    "anthropic_stream": (
        lambda s: "".join(e.delta.text for e in anthropic_client(s).messages.create(model=CLAUDE, max_tokens=256, system=SYSTEM, messages=[{"role": "user", "content": "Hello!"}], stream=True) if e.type == "content_block_delta" and e.delta.type == "text_delta"),
        "anthropic", CLAUDE, True, None,
    ),
    "anthropic_tools": (lambda s: anthropic_client(s).messages.create(model=CLAUDE, max_tokens=256, system=SYSTEM, messages=[{"role": "user", "content": "Weather in Tokyo?"}], tools=[ANTHROPIC_TOOL]) and None, "anthropic", CLAUDE, False, "get_weather"),
}

# What OpenLLMetry sends nothing of (docs/integrations/openinference.md names these).
OPENLLMETRY_GAPS: Dict[str, frozenset] = {
    # A caller who asked for no usage gets none in the stream; OpenLLMetry counts tokens itself only with
    # tiktoken's encodings, which it downloads (no network here, and none in many deployments).
    "openai_chat_stream": frozenset({"ttft", "tokens"}),
    "anthropic_stream": frozenset({"ttft"}),
}


@pytest.mark.parametrize("case", list(OPENLLMETRY_CASES))
def test_openllmetry(stack, case):
    call, provider, model, streamed, tool = OPENLLMETRY_CASES[case]
    with cell(stack, f"openllmetry-{case}") as name:
        received = call(stack)
    if tool is None:
        assert received == ANSWER
    [span] = llm_spans(stack, name, "opentelemetry.instrumentation")
    check_llm_span(span, "otel", model=model, provider=provider, text=None if tool else ANSWER, tool=tool, streamed=streamed, gaps=OPENLLMETRY_GAPS.get(case, frozenset()))


# --- OpenInference: LangChain and LiteLLM ------------------------------------------------------------
LANGCHAIN = [("system", SYSTEM), ("user", "Hello!")]


def langchain_model(stack: Stack, provider: str):
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model="gpt-4o", base_url=f"{stack.upstream}/v1", api_key="sk-test", max_retries=0)
    from langchain_anthropic import ChatAnthropic

    return ChatAnthropic(model=CLAUDE, base_url=stack.upstream, api_key="sk-ant-test", max_retries=0)


def chunk_text(content) -> str:
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


# OpenInference's LangChain spans carry no first-token time; ChatOpenAI streams without usage unless
# built with stream_usage=True.
LANGCHAIN_GAPS: Dict[tuple, frozenset] = {
    ("openai", True): frozenset({"ttft", "tokens"}),
    ("anthropic", True): frozenset({"ttft"}),
}


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_openinference_langchain(stack, provider, streamed):
    llm = langchain_model(stack, provider)
    with cell(stack, f"oi-langchain-{provider}-{'stream' if streamed else 'invoke'}") as name:
        text = "".join(chunk_text(chunk.content) for chunk in llm.stream(LANGCHAIN)) if streamed else llm.invoke(LANGCHAIN).content
    assert text == ANSWER
    [span] = llm_spans(stack, name, "openinference.instrumentation.langchain")
    model = "gpt-4o" if provider == "openai" else CLAUDE
    check_llm_span(span, "otel", model=model, provider=provider, streamed=streamed, gaps=LANGCHAIN_GAPS.get((provider, streamed), frozenset()))


# OpenInference's LiteLLM spans of streams carry neither usage nor a first-token time.
LITELLM_GAPS: Dict[tuple, frozenset] = {
    ("openai", True): frozenset({"ttft", "tokens"}),
    ("anthropic", True): frozenset({"ttft", "tokens"}),
}


@pytest.mark.parametrize("streamed", [False, True], ids=["completion", "stream"])
@pytest.mark.parametrize("model", ["openai/gpt-4o", f"anthropic/{CLAUDE}"])
def test_openinference_litellm(stack, model, streamed):
    import litellm

    provider = model.split("/")[0]
    base = f"{stack.upstream}/v1" if provider == "openai" else stack.upstream
    key = "sk-test" if provider == "openai" else "sk-ant-test"
    with cell(stack, f"oi-litellm-{provider}-{'stream' if streamed else 'completion'}") as name:
        answer = litellm.completion(model=model, messages=MESSAGES, api_base=base, api_key=key, stream=streamed, max_tokens=256)
        text = "".join(chunk.choices[0].delta.content or "" for chunk in answer) if streamed else answer.choices[0].message.content
    assert text == ANSWER
    [span] = llm_spans(stack, name, "openinference.instrumentation.litellm")
    check_llm_span(span, "otel", model=model.split("/")[1], provider=provider, streamed=streamed, gaps=LITELLM_GAPS.get((provider, streamed), frozenset()))
