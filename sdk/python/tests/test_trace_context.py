"""The trace's user, session, tags and metadata from the SDK, read back from a real Kalmia server."""
from __future__ import annotations

import asyncio
import urllib.parse

from sdk_py_helpers import get_json, only_trace

import kalmia_sdk
from kalmia_sdk import current_span, traced


def listed(kalmia_url, project, **filters):
    query = urllib.parse.urlencode({"project": project, **filters}, doseq=True)
    return get_json(f"{kalmia_url}/api/v1/traces?{query}")["traces"]


def test_traced_arguments_set_the_trace_user_session_tags_and_metadata(openai_client, kalmia_url, project):
    @traced(name="support-bot", user_id="u-42", session_id="chat-7", tags=["prod", "v2"], metadata={"tenant": "acme"})
    def answer(question):
        openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
        return "done"

    answer("hi")
    trace = only_trace(kalmia_url, project, spans=2)
    assert trace["user_id"] == "u-42" and trace["session_id"] == "chat-7" and trace["tags"] == ["prod", "v2"]
    assert trace["metadata"]["tenant"] == "acme"
    # The llm call inside inherits the trace's.
    llm = [s for s in trace["spans"] if s["type"] == "llm"][0]
    assert llm["span_parents"] == [trace["id"]]
    found = listed(kalmia_url, project, user="u-42", session="chat-7", tag=["prod", "v2"], **{"metadata.tenant": "acme"})
    assert [t["id"] for t in found] == [trace["id"]]


def test_current_span_log_sets_them_later_from_inside_an_async_run(kalmia_url, project):
    @traced(name="agent")
    async def agent():
        await asyncio.sleep(0)
        current_span().log(user_id=7, session_id="s-late", tags=["beta"], metadata={"plan": "gold"})
        return 1

    asyncio.run(agent())
    trace = only_trace(kalmia_url, project)
    assert (trace["user_id"], trace["session_id"], trace["tags"]) == ("7", "s-late", ["beta"])
    assert trace["metadata"]["plan"] == "gold"


def test_a_block_span_takes_them_and_a_logger_default_metadata_is_on_every_trace(kalmia_url, project):
    kalmia_sdk.init_logger(project_name=project, base_url=kalmia_url, metadata={"region": "eu-west-1", "tenant": "default"})
    with traced(name="job", span_type="task", session_id="batch-1", metadata={"tenant": "initech"}) as span:
        with traced(name="step", span_type="tool"):
            pass
        span.log(output="ok")
    trace = only_trace(kalmia_url, project, spans=2)
    assert trace["session_id"] == "batch-1"
    # The trace's own key wins over the logger's default.
    assert trace["metadata"]["region"] == "eu-west-1" and trace["metadata"]["tenant"] == "initech"
    assert [t["id"] for t in listed(kalmia_url, project, **{"metadata.region": "eu-west-1"})] == [trace["id"]]


def test_values_past_the_server_bounds_never_lose_the_span(kalmia_url, project):
    @traced(name="odd", user_id={"not": "an id"}, tags=["t" * 10_000] + [f"t{i}" for i in range(1_000)])
    def odd():
        return 1

    assert odd() == 1
    trace = only_trace(kalmia_url, project)
    assert trace["user_id"] is None
    assert len(trace["tags"]) == 100 and trace["tags"][0] == "t" * 200
