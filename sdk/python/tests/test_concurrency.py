"""Many runs traced at once: every span lands in its own run's trace, under the right parent."""
from __future__ import annotations

import asyncio
import threading

from sdk_py_helpers import delivered_traces

from kalmia_sdk import traced


def assert_each_trace_is_one_run(traces, count: int) -> None:
    assert len(traces) == count
    seen = set()
    for trace in traces:
        spans = {s["name"]: s for s in trace["spans"]}
        assert sorted(spans) == ["lookup", "openai.chat.completions.create", "run"], sorted(spans)
        root = spans["run"]
        n = root["input"]["n"]
        seen.add(n)
        assert root["output"] == n
        assert spans["lookup"]["input"] == {"n": n}
        assert spans["openai.chat.completions.create"]["input"] == [{"role": "user", "content": f"run {n}"}]
        for child in ("lookup", "openai.chat.completions.create"):
            assert spans[child]["span_parents"] == [root["span_id"]]
            assert spans[child]["root_span_id"] == root["span_id"] == trace["id"]
    assert seen == set(range(count))


def test_fifty_threads_tracing_at_once_keep_their_spans_apart(openai_client, kalmia_url, project):
    barrier = threading.Barrier(50)

    @traced(name="run")
    def run(n):
        barrier.wait()
        with traced(name="lookup", span_type="tool") as span:
            span.log(input={"n": n})
        openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"run {n}"}])
        return n

    threads = [threading.Thread(target=run, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert_each_trace_is_one_run(delivered_traces(kalmia_url, project, 50, spans_each=3, wait=60), 50)


def test_two_hundred_asyncio_tasks_tracing_at_once_keep_their_spans_apart(async_openai_client, kalmia_url, project):
    @traced(name="run")
    async def run(n):
        await asyncio.sleep(0)
        async with traced(name="lookup", span_type="tool") as span:
            await asyncio.sleep(0)
            span.log(input={"n": n})
        await async_openai_client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": f"run {n}"}]
        )
        return n

    async def main():
        return await asyncio.gather(*(run(n) for n in range(200)))

    assert asyncio.run(main()) == list(range(200))
    assert_each_trace_is_one_run(delivered_traces(kalmia_url, project, 200, spans_each=3, wait=60), 200)
