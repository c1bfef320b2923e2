"""How a client reaches the provider on each path of the matrix: through Kalmia's proxy, wrapped by
the Kalmia SDK, or instrumented by OpenInference exporting OTLP to Kalmia; and `direct`, the same
client calling the fake provider with nothing in between, to compare what the caller receives."""
from __future__ import annotations

import contextlib
from typing import Any, Dict, Iterator, List, Optional

import anthropic
import openai

import kalmia_sdk
from matrix_py_support import KEY, Stack, new_project, sdk_logger

OTEL_PROJECT = "matrix-otel"
_otel: Dict[str, Any] = {}


def quiet_agents_tracing() -> None:
    """openai-agents exports its traces to OpenAI's backend by default (unreachable here): dropped
    once per process, before OpenInference adds its own processor on the OTel path."""
    if not _otel.get("agents_quiet"):
        import agents

        agents.set_trace_processors([])
        _otel["agents_quiet"] = True


def otel_tracer(stack: Stack) -> Any:
    """OpenInference's OpenAI, Anthropic and openai-agents instrumentations, set up once per process
    (they patch the client classes globally), exporting each span as it ends."""
    if "tracer" not in _otel:
        from openinference.instrumentation.anthropic import AnthropicInstrumentor
        from openinference.instrumentation.openai import OpenAIInstrumentor
        from openinference.instrumentation.openai_agents import OpenAIAgentsInstrumentor
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        exporter = OTLPSpanExporter(
            endpoint=f"{stack.kalmia}/api/v1/otel/v1/traces",
            headers={"authorization": f"Bearer {KEY}", "x-kalmia-project": OTEL_PROJECT},
        )
        quiet_agents_tracing()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        for instrumentor in (OpenAIInstrumentor(), AnthropicInstrumentor(), OpenAIAgentsInstrumentor()):
            instrumentor.instrument(tracer_provider=provider)
        _otel["provider"] = provider
        _otel["tracer"] = provider.get_tracer("kalmia-matrix")
    return _otel["tracer"]


class Path:
    def __init__(self, name: str, stack: Stack, cell: str) -> None:
        self.name = name
        self.stack = stack
        self.project = new_project(cell)
        if name == "sdk":
            sdk_logger(stack, self.project)
        if name == "otel":
            otel_tracer(stack)

    # --- clients -------------------------------------------------------------------------------
    def _headers(self) -> Dict[str, str]:
        return {"x-kalmia-project": self.project, "x-kalmia-api-key": KEY} if self.name == "proxy" else {}

    def openai_base(self) -> str:
        return f"{self.stack.kalmia}/api/v1" if self.name == "proxy" else f"{self.stack.upstream}/v1"

    def anthropic_base(self) -> str:
        return f"{self.stack.kalmia}/api/v1" if self.name == "proxy" else self.stack.upstream

    def openai(self, **options: Any) -> openai.OpenAI:
        client = openai.OpenAI(base_url=self.openai_base(), api_key="sk-test", max_retries=0, default_headers=self._headers(), **options)
        return kalmia_sdk.wrap_openai(client) if self.name == "sdk" else client

    def async_openai(self) -> openai.AsyncOpenAI:
        client = openai.AsyncOpenAI(base_url=self.openai_base(), api_key="sk-test", max_retries=0, default_headers=self._headers())
        return kalmia_sdk.wrap_openai(client) if self.name == "sdk" else client

    def anthropic(self) -> anthropic.Anthropic:
        client = anthropic.Anthropic(base_url=self.anthropic_base(), api_key="sk-ant-test", max_retries=0, default_headers=self._headers())
        return kalmia_sdk.wrap_anthropic(client) if self.name == "sdk" else client

    def async_anthropic(self) -> anthropic.AsyncAnthropic:
        client = anthropic.AsyncAnthropic(base_url=self.anthropic_base(), api_key="sk-ant-test", max_retries=0, default_headers=self._headers())
        return kalmia_sdk.wrap_anthropic(client) if self.name == "sdk" else client

    # --- reading back --------------------------------------------------------------------------
    @contextlib.contextmanager
    def case(self) -> Iterator[None]:
        """Around the client calls: on the OTel path a root span named after the cell, to find its trace by."""
        if self.name != "otel":
            yield
            return
        with otel_tracer(self.stack).start_as_current_span(self.project):
            yield

    def traces(self, count: int = 1, spans: int = 1) -> List[Dict[str, Any]]:
        if self.name == "sdk":
            assert kalmia_sdk.flush(timeout=15)
        if self.name == "otel":
            # The cell's root span plus the instrumented ones, in one trace.
            return self.stack.finished_traces(OTEL_PROJECT, 1, q=self.project, spans=spans + 1)
        return self.stack.finished_traces(self.project, count, spans=spans)

    def llm_spans(self, count: int = 1) -> List[Dict[str, Any]]:
        traces = self.traces(count if self.name != "otel" else 1, 1 if self.name != "otel" else count)
        spans = [span for trace in traces for span in trace["spans"] if span["type"] == "llm"]
        assert len(spans) >= count, [t["spans"] for t in traces]
        return sorted(spans, key=lambda span: span["metrics"]["start"])


def direct_openai(stack: Stack) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{stack.upstream}/v1", api_key="sk-test", max_retries=0)


def direct_async_openai(stack: Stack) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{stack.upstream}/v1", api_key="sk-test", max_retries=0)


def direct_anthropic(stack: Stack) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=stack.upstream, api_key="sk-ant-test", max_retries=0)


def failure(call: Any) -> Optional[Dict[str, Any]]:
    """What a failing call raised, as the caller sees it."""
    try:
        call()
    except Exception as exc:  # the provider clients' own errors
        body = getattr(exc, "body", None)
        # Request ids are unique per request, like the real APIs'.
        if isinstance(body, dict):
            body = {key: value for key, value in body.items() if key != "request_id"}
        return {"type": type(exc).__name__, "status": getattr(exc, "status_code", None), "body": body}
    return None
