"""The client matrix's paths (proxy, Kalmia SDK, OpenTelemetry) and what every stored span must hold."""
from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import kalmia_sdk

KEY = "kal-matrix-key-7d1f"
ANSWER = "Hello! This is the fake upstream, answering deterministically."
SYSTEM = "You are a terse weather assistant."

# Every path's spans are priced: the SDKs write a start row (model) and an end row (usage), and the
# server prices a span once its rows have merged (db/write/span-pricing.ts).
PRICED_PATHS = {"proxy", "otel", "sdk"}


@dataclass
class Stack:
    upstream: str
    kalmia: str

    def get(self, path: str) -> Any:
        request = urllib.request.Request(f"{self.kalmia}{path}", headers={"authorization": f"Bearer {KEY}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def traces(self, project: str, q: Optional[str] = None) -> List[Dict[str, Any]]:
        query = {"project": project, "limit": 100, **({"q": q} if q else {})}
        return self.get(f"/api/v1/traces?{urllib.parse.urlencode(query)}")["traces"]

    def finished_traces(self, project: str, count: int = 1, q: Optional[str] = None, spans: int = 1, wait: float = 20.0) -> List[Dict[str, Any]]:
        """The project's traces once `count` are stored with every span ended (a call is recorded after its answer)."""
        deadline = time.monotonic() + wait
        while True:
            listed = self.traces(project, q)
            done = len(listed) >= count and all(t["status"] != "running" and t["span_count"] >= spans for t in listed)
            if done or time.monotonic() > deadline:
                return [self.get(f"/api/v1/traces/{urllib.parse.quote(t['id'])}") for t in listed]
            time.sleep(0.05)


def new_project(cell: str) -> str:
    return f"m-{cell}-{uuid.uuid4().hex[:8]}"


def sdk_logger(stack: Stack, project: str) -> None:
    kalmia_sdk.init_logger(project_name=project, base_url=stack.kalmia, api_key=KEY)


def llm_spans(trace: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [span for span in trace["spans"] if span["type"] == "llm"]


def check_llm_span(
    span: Dict[str, Any],
    path: str,
    *,
    model: str,
    provider: str,
    system: Optional[str] = SYSTEM,
    text: Optional[str] = ANSWER,
    tool: Optional[str] = None,
    streamed: bool = False,
    completion_tokens: bool = True,
    gaps: frozenset = frozenset(),
) -> None:
    """What every llm span of a successful call must hold, whichever client and path made it.
    `gaps`: what the client itself sends nothing of on this path ("output", "tokens", "ttft"), named in docs/."""
    assert span["status"] == "ok", span
    assert span["metadata"]["provider"] == provider
    assert span["metadata"]["model"].startswith(model), span["metadata"]
    if system is not None:
        assert system in json.dumps(span["input"]), span["input"]
    stored = json.dumps(span["output"])
    if text is not None and "output" not in gaps:
        assert text in stored, span["output"]
    if tool is not None and "output" not in gaps:
        assert tool in stored and "Tokyo" in stored, span["output"]
    metrics = span["metrics"]
    if "tokens" not in gaps:
        assert metrics["prompt_tokens"] > 0, metrics
        if completion_tokens:
            assert metrics["completion_tokens"] > 0, metrics
        if path in PRICED_PATHS:
            assert metrics["cost_usd"] > 0, metrics
    if streamed and "ttft" not in gaps:
        assert metrics["time_to_first_token"] > 0, metrics


def check_error_span(span: Dict[str, Any], status_code: int, message: str) -> None:
    assert span["status"] == "error", span
    assert message.lower() in json.dumps(span["error"]).lower(), span["error"]
