"""The real OpenTelemetry Python SDK with the OTLP/HTTP protobuf exporter, sending
GenAI-convention spans of an agent run to Kalmia."""
from __future__ import annotations

import json

from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode

from otel_py_helpers import get_json

CALLS = [("call_1", "Paris", {"temp_c": 18}), ("call_2", "Oslo", {"temp_c": 7})]


def make_tracer(url: str, service: str, **exporter_options):
    exporter = OTLPSpanExporter(endpoint=f"{url}/api/v1/otel/v1/traces", **exporter_options)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider.get_tracer("weather-agent-py"), provider


def run_agent(tracer) -> tuple[str, dict]:
    """invoke_agent → chat (span events, asks for two tools) → two execute_tool → chat (OpenLLMetry attributes)."""
    ids: dict = {}
    with tracer.start_as_current_span("invoke_agent weather-agent") as root:
        root.set_attribute("gen_ai.operation.name", "invoke_agent")
        ids["root"] = format(root.get_span_context().span_id, "016x")
        with tracer.start_as_current_span("chat gpt-4o") as chat:
            chat.set_attributes({
                "gen_ai.operation.name": "chat",
                "gen_ai.system": "openai",
                "gen_ai.request.model": "gpt-4o",
                "gen_ai.usage.input_tokens": 40,
                "gen_ai.usage.output_tokens": 18,
            })
            chat.add_event("gen_ai.system.message", {"content": "You are a weather assistant."})
            chat.add_event("gen_ai.user.message", {"content": "Weather in Paris and Oslo?"})
            calls = [{"id": cid, "type": "function", "function": {"name": "get_weather", "arguments": json.dumps({"city": city})}} for cid, city, _ in CALLS]
            chat.add_event("gen_ai.choice", {"index": 0, "finish_reason": "tool_calls", "message": json.dumps({"role": "assistant", "tool_calls": calls})})
            ids["chat1"] = format(chat.get_span_context().span_id, "016x")
        ids["tools"] = []
        for cid, city, result in CALLS:
            with tracer.start_as_current_span("execute_tool get_weather") as tool:
                tool.set_attributes({
                    "gen_ai.operation.name": "execute_tool",
                    "gen_ai.tool.name": "get_weather",
                    "gen_ai.tool.call.id": cid,
                    "gen_ai.tool.call.arguments": json.dumps({"city": city}),
                    "gen_ai.tool.call.result": json.dumps(result),
                })
                ids["tools"].append(format(tool.get_span_context().span_id, "016x"))
        with tracer.start_as_current_span("chat gpt-4o") as chat:
            chat.set_attributes({
                "gen_ai.system": "openai",
                "gen_ai.request.model": "gpt-4o",
                "llm.request.type": "chat",
                "gen_ai.usage.prompt_tokens": 90,
                "gen_ai.usage.completion_tokens": 12,
                "gen_ai.prompt.0.role": "user",
                "gen_ai.prompt.0.content": "Weather in Paris and Oslo?",
                "gen_ai.prompt.1.role": "tool",
                "gen_ai.prompt.1.content": json.dumps({"temp_c": 18}),
                "gen_ai.prompt.1.tool_call_id": "call_1",
                "gen_ai.completion.0.role": "assistant",
                "gen_ai.completion.0.content": "Paris 18°C, Oslo 7°C.",
                "gen_ai.completion.0.finish_reason": "stop",
            })
            ids["chat2"] = format(chat.get_span_context().span_id, "016x")
        root.set_status(Status(StatusCode.OK))
        trace_id = format(root.get_span_context().trace_id, "032x")
    return trace_id, ids


def test_an_agent_run_from_the_python_sdk_becomes_one_trace_with_llm_and_tool_spans(kalmia_url: str) -> None:
    tracer, provider = make_tracer(kalmia_url, "py-otel-agent")
    trace_id, ids = run_agent(tracer)
    assert provider.force_flush(30_000)
    provider.shutdown()

    trace = get_json(f"{kalmia_url}/api/v1/traces/{trace_id}")
    assert trace["project"] == "py-otel-agent"
    assert trace["name"] == "invoke_agent weather-agent"
    assert trace["span_count"] == 5
    assert trace["provider"] == "openai" and trace["model"] == "gpt-4o"
    assert (trace["prompt_tokens"], trace["completion_tokens"]) == (130, 30)
    spans = {s["span_id"]: s for s in trace["spans"]}
    assert spans[ids["root"]]["span_parents"] == []
    for key in ("chat1", "chat2", *ids["tools"]):
        span = spans[ids.get(key, key)]
        assert span["span_parents"] == [ids["root"]]

    first = spans[ids["chat1"]]
    assert first["type"] == "llm"
    assert first["input"] == [
        {"role": "system", "content": "You are a weather assistant."},
        {"role": "user", "content": "Weather in Paris and Oslo?"},
    ]
    assert [c["function"]["name"] for c in first["output"]["tool_calls"]] == ["get_weather", "get_weather"]
    assert json.loads(first["output"]["tool_calls"][1]["function"]["arguments"]) == {"city": "Oslo"}

    tools = [spans[i] for i in ids["tools"]]
    assert [(t["type"], t["name"], t["input"], t["output"]) for t in tools] == [
        ("tool", "get_weather", {"city": city}, result) for _, city, result in CALLS
    ]

    second = spans[ids["chat2"]]
    assert second["type"] == "llm"
    assert second["input"][1] == {"role": "tool", "content": json.dumps({"temp_c": 18}), "tool_call_id": "call_1"}
    assert second["output"] == {"role": "assistant", "content": "Paris 18°C, Oslo 7°C."}
    assert second["metrics"]["prompt_tokens"] == 90


def test_gzip_and_the_project_header_from_the_python_exporter(kalmia_url: str) -> None:
    tracer, provider = make_tracer(
        kalmia_url, "ignored", compression=Compression.Gzip, headers={"x-kalmia-project": "py-gzip"}
    )
    with tracer.start_as_current_span("lookup") as span:
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("gen_ai.tool.name", "lookup")
        span.set_status(Status(StatusCode.ERROR, "lookup failed"))
        trace_id = format(span.get_span_context().trace_id, "032x")
    assert provider.force_flush(30_000)
    provider.shutdown()
    trace = get_json(f"{kalmia_url}/api/v1/traces/{trace_id}")
    assert trace["project"] == "py-gzip"
    assert trace["status"] == "error"
    assert trace["spans"][0]["error"] == "lookup failed"
