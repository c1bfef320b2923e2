"""Reading back what the SDK delivered to the real Kalmia server."""
from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

import kalmia_sdk


def docs_example_env(kalmia_url: str, fake_upstream: str) -> Dict[str, str]:
    """The environment a docs example runs in, the only thing that differs from a user's machine: the
    providers' own variables point the clients at the fake upstream; since the examples hard-code
    `http://localhost:3000` for Kalmia, the proxy variables route that address to the test's server
    (urllib, httpx, requests and curl honour them; `NO_PROXY` keeps the provider calls to 127.0.0.1
    direct); an example that leaves the address to the SDK's default finds the server through the
    SDKs' own `KALMIA_BASE_URL` (the TypeScript SDK's node:http sender ignores proxy variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KALMIA_", "OTEL_")) and k.lower() not in ("http_proxy", "no_proxy", "all_proxy")}
    env.update({
        "ANTHROPIC_BASE_URL": fake_upstream,
        "ANTHROPIC_API_KEY": "sk-ant-dummy",
        "OPENAI_BASE_URL": f"{fake_upstream}/v1",
        "OPENAI_API_KEY": "sk-dummy",
        "KALMIA_BASE_URL": kalmia_url,
        "HTTP_PROXY": kalmia_url,
        "http_proxy": kalmia_url,
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    })
    return env


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def list_traces(kalmia_url: str, project: str) -> List[Dict[str, Any]]:
    query = urllib.parse.urlencode({"project": project, "limit": 500})
    return get_json(f"{kalmia_url}/api/v1/traces?{query}")["traces"]


def get_trace(kalmia_url: str, trace_id: str) -> Dict[str, Any]:
    return get_json(f"{kalmia_url}/api/v1/traces/{urllib.parse.quote(trace_id)}")


def delivered_traces(
    kalmia_url: str, project: str, count: int, spans_each: Optional[int] = None, wait: float = 15.0
) -> List[Dict[str, Any]]:
    """Flush, then read back the project's traces (with their spans) once `count` traces with every
    span ended are stored. Returns what is there when `wait` runs out, for the assertions to judge."""
    assert kalmia_sdk.flush(timeout=wait), "the SDK could not deliver its spans"
    deadline = time.monotonic() + wait
    while True:
        traces = list_traces(kalmia_url, project)
        settled = len(traces) >= count and all(t["status"] != "running" for t in traces)
        if spans_each is not None:
            settled = settled and all(t["span_count"] >= spans_each for t in traces)
        if settled or time.monotonic() > deadline:
            return [get_trace(kalmia_url, t["id"]) for t in traces]
        time.sleep(0.05)


def only_trace(kalmia_url: str, project: str, spans: int = 1) -> Dict[str, Any]:
    traces = delivered_traces(kalmia_url, project, 1, spans)
    assert len(traces) == 1, [t.get("name") for t in traces]
    return traces[0]


def spans_of(trace: Dict[str, Any], type_: Optional[str] = None) -> List[Dict[str, Any]]:
    spans = trace["spans"]
    return [s for s in spans if type_ is None or s["type"] == type_]


def llm_span(kalmia_url: str, project: str) -> Dict[str, Any]:
    """The one span of the one trace a lone LLM call makes."""
    trace = only_trace(kalmia_url, project)
    (span,) = trace["spans"]
    assert span["type"] == "llm"
    return span
